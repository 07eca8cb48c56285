/**
 * `apt-get update` that also works on a Debian release moved to archive.debian.org (stretch, buster,
 * and each older release in turn): the original full image needed no apt step for what the slim
 * runtime installs, and an old tag (node:12-slim, python:3.8.10-slim) is such a release.
 */
export const aptUpdateWithArchiveFallback = `{ apt-get update || { . /etc/os-release && [ "$ID" = debian ] && rm -f /etc/apt/sources.list.d/* && echo "deb http://archive.debian.org/debian $VERSION_CODENAME main" > /etc/apt/sources.list && apt-get update; }; }`;
