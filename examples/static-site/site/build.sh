#!/bin/sh
# Builds the site into dist/: its pages with the release's version written in. `sh build.sh 1.10.0`
set -eu
version="$1"
rm -rf dist
mkdir -p dist
sed "s/{{version}}/$version/g" index.html > dist/index.html
cp style.css dist/style.css
