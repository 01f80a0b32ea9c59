# Convivio's everyday commands. `make test` is what CI runs (.ci/run); `make run` opens the app,
# enrolled with a demo agency server on loopback.
# Every target that builds first runs scripts/setup.sh, which installs only what is missing.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

# One build cache for every checkout and for CI: cold Tauri builds take minutes on two cores.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/convivio/target
export PATH := $(HOME)/.cargo/bin:$(PATH)

APP := $(CARGO_TARGET_DIR)/debug/convivio-app
SERVER := $(CARGO_TARGET_DIR)/debug/convivio-server
CLI := $(CARGO_TARGET_DIR)/debug/convivio
XVFB_RUN := xvfb-run -a -s "-screen 0 1280x800x24"

# One feature resolution for every build, the one `cargo test --workspace` and `cargo clippy
# --workspace --all-targets` use: the whole workspace with its dev-dependencies. Cargo then
# compiles each crate once, and the binaries built after the tests (make test) only link what
# the tests compiled; `cargo build -p convivio-app` alone would resolve tokio, hyper, tracing, ...
# with fewer features and compile tauri's tree a second time. `--examples` (there are none) is
# what makes a build include dev-dependencies without building any test. With the app's
# features (custom-protocol and tauri/test by default, src-tauri/Cargo.toml) and the build
# scripts' profile (Cargo.toml) the same everywhere, a cold `make test` compiles tauri once.
CARGO_BUILD := cargo build --workspace --examples

.PHONY: setup ui app bins run test fmt-check clippy test-rust test-ui test-api test-e2e test-staff lint doc bench bench-dashboard test-faults-long

setup:
	scripts/setup.sh

ui: setup
	npm --prefix ui run build

# The app with the UI embedded (custom protocol, a default feature of convivio-app, so every
# build of it needs ui/dist: the targets that compile it depend on `ui`).
app: ui
	$(CARGO_BUILD) --bin convivio-app

# The agency server and the command-line diary (`convivio-server`, and `convivio` from
# crates/cli): the demo that `make run` sets up, and the server the app's end-to-end test enrols with.
bins: setup
	$(CARGO_BUILD) --bin convivio-server --bin convivio

# The server on 127.0.0.1:8787 (SQLite), a demo agency and an enrolled demo diary in ./data/demo
# (made once, reused after), then the app on that diary; closing the app stops the server.
# A real window when there is a display, a virtual one when there is not. See scripts/run-demo.sh.
run: app bins
	scripts/run-demo.sh

test: setup fmt-check clippy test-rust test-ui test-api test-e2e test-staff

fmt-check:
	cargo fmt --all --check

clippy: ui
	cargo clippy --workspace --all-targets -- -D warnings

test-rust: ui
	cargo test --workspace

test-ui: setup
	npm --prefix ui test

# schemathesis against the real server's published OpenAPI document, with a real device token:
# every operation, valid and invalid bodies; 0 failures and 0 server errors, or it fails.
test-api: bins
	scripts/schemathesis.sh "$(SERVER)"

# Drives the real app through tauri-driver and WebKitWebDriver, always on a virtual display,
# against a real agency server the test starts on a free loopback port.
test-e2e: app bins
	CONVIVIO_APP="$(APP)" CONVIVIO_SERVER="$(SERVER)" $(XVFB_RUN) npm --prefix tests/e2e-app test

# The staff dashboard in Debian's Chromium (playwright-core), against the real server and a real
# diary (the `convivio` CLI), on SQLite and on PostgreSQL: the story of an entry from queue to
# diary and back, the early warnings against the seed's planted cases, axe on every page in both
# languages, reflow at 1024 px and 200 %, keyboard only. STAFF_BACKENDS=sqlite runs one backend;
# STAFF_SCREENSHOTS=docs/screenshots refreshes the README's pictures. See tests/e2e-staff.
test-staff: bins
	CONVIVIO_SERVER="$(SERVER)" CONVIVIO_CLI="$(CLI)" npm --prefix tests/e2e-staff test

lint: fmt-check clippy doc

doc: ui
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

bench: setup bench-dashboard
	cargo bench -p convivio-diary
	cargo bench -p convivio-tests --bench sync

# The staff dashboard at 1,000 caregivers x 200 entries on SQLite and PostgreSQL. The first run
# seeds each backend once (kept in ~/.cache/convivio/bench and a PostgreSQL database).
bench-dashboard: setup
	cargo bench -p convivio-tests --bench dashboard

# The fault-schedule property test at length: FAULT_SCHEDULES schedules per backend (CI runs
# 500 on SQLite and 200 on PostgreSQL with every `make test`).
test-faults-long: setup
	FAULT_SCHEDULES=$${FAULT_SCHEDULES:-5000} cargo test --release -p convivio-tests --test sync_faults -- --nocapture
