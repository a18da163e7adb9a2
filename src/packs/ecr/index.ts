export {
  addTags,
  findTagDigest,
  getManifest,
  manifestDigest,
  putManifest,
  resolveTag,
  verifyTags,
  MANIFEST_MEDIA_TYPES,
  type AddTagsResult,
  type ImageRef,
  type ManifestCopy,
  type TagCheck,
} from './images.ts';
export { createImageIndex, platformFromTag, OCI_INDEX, type ImageIndexResult, type IndexEntry, type Platform } from './index-manifest.ts';
export { getRegistryLogin, type RegistryLogin } from './auth.ts';
