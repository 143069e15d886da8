# The two commands a newcomer needs: `make demo` and `make test`.
.PHONY: demo test headers

demo:
	scripts/demo.sh

test:
	scripts/test.sh

# Regenerates include/ossrs.h and bindings/php/resources/ossrs.h from the Rust sources.
headers:
	OSSRS_REGEN_HEADER=1 cargo build
