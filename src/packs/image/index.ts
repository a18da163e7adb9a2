// The image pack: build an image without a Docker engine, as an OCI image layout.
export { buildImage, buildImageIndex, initLayout, readLayoutIndex, tagInLayout, MEDIA_TYPES } from './oci-layout.ts';
export type { BuildImageOptions, BuiltImage, Descriptor, ImageConfig, Platform } from './oci-layout.ts';
export { tarDirectory } from './tar.ts';
export { buildxCommand, readBuildxDigest } from './buildx.ts';
export type { BuildxOptions } from './buildx.ts';
