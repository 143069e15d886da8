#!/usr/bin/env bash
# Installs libossrs: `make install PREFIX=/usr/local` (PROFILE=debug for a quick test install).
#   $PREFIX/lib/libossrs.so.X.Y.Z   shared library, SONAME libossrs.so.X.Y.Z (the ABI is unstable before 1.0,
#                                   so the SONAME follows the exact version)
#   $PREFIX/lib/libossrs.so         -> libossrs.so.X.Y.Z (for -lossrs)
#   $PREFIX/lib/libossrs.a          static library
#   $PREFIX/include/ossrs.h         the header
#   $PREFIX/lib/pkgconfig/ossrs.pc  for `pkg-config --cflags --libs ossrs`
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${PREFIX:-/usr/local}
profile=${PROFILE:-release}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
soname="libossrs.so.$version"
flag=()
[ "$profile" = release ] && flag=(--release)
target=${CARGO_TARGET_DIR:-target}/$profile

cargo build -p ossrs --lib "${flag[@]}"
# Relink the shared library with its SONAME (cargo has no setting for it).
cargo rustc -p ossrs --lib "${flag[@]}" --crate-type cdylib -- -C "link-arg=-Wl,-soname,$soname"

install -d "$prefix/lib/pkgconfig" "$prefix/include"
install -m 0755 "$target/libossrs.so" "$prefix/lib/$soname"
ln -sf "$soname" "$prefix/lib/libossrs.so"
install -m 0644 "$target/libossrs.a" "$prefix/lib/libossrs.a"
install -m 0644 include/ossrs.h "$prefix/include/ossrs.h"
cat >"$prefix/lib/pkgconfig/ossrs.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: ossrs
Description: Alibaba Cloud OSS uploads with upload callbacks (C ABI of libossrs)
Version: $version
Libs: -L\${libdir} -lossrs
Libs.private: -lpthread -ldl -lm
Cflags: -I\${includedir}
PC
echo "installed libossrs $version into $prefix"
