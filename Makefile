# The two commands a newcomer needs: `make demo` and `make test`.
.PHONY: demo demo-web test headers bench install memcheck fuzz

demo:
	scripts/demo.sh

test:
	scripts/test.sh

# The browser example (php-example/direct-upload): a page that uploads straight to the emulator with a signed
# PostObject form and an upload callback. Prints the page's URL and serves until Ctrl-C.
demo-web:
	cargo build --workspace --quiet && scripts/setup.sh && php-example/direct-upload/run.sh

# Regenerates include/ossrs.h and bindings/php/resources/ossrs.h from the Rust sources.
headers:
	OSSRS_REGEN_HEADER=1 cargo build

# The benchmark (bench/README.md): emulator and nginx discard sink, W1-W3; prints a table, writes BENCHMARKS.md.
# Takes several minutes and is never part of `make test`.
bench:
	bench/run.sh

# Installs the shared library (with its SONAME), the static library, the header and ossrs.pc.
install:
	PREFIX=$(or $(PREFIX),/usr/local) scripts/install.sh

# The C examples and tests/c/threads.c under AddressSanitizer + UBSan and under valgrind (also run by `make test`).
memcheck:
	scripts/memcheck.sh

# The cargo-fuzz targets in fuzz/ for FUZZ_SECONDS each (default 60). Needs nightly and cargo-fuzz; never part of
# `make test`.
fuzz:
	scripts/fuzz.sh
