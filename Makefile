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
XVFB_RUN := xvfb-run -a -s "-screen 0 1280x800x24"

.PHONY: setup ui app bins run test fmt-check clippy test-rust test-ui test-e2e lint doc bench test-faults-long

setup:
	scripts/setup.sh

ui: setup
	npm --prefix ui run build

# The app with the UI embedded (custom protocol). A plain `cargo build` would make a dev
# binary that loads the Vite dev server instead.
app: ui
	cargo build -p convivio-app --features custom-protocol

# The agency server and the command-line diary (`convivio-server`, and `convivio` from
# crates/cli): the demo that `make run` sets up, and the server the app's end-to-end test enrols with.
bins: setup
	cargo build -p convivio-server -p convivio-cli

# The server on 127.0.0.1:8787 (SQLite), a demo agency and an enrolled demo diary in ./data/demo
# (made once, reused after), then the app on that diary; closing the app stops the server.
# A real window when there is a display, a virtual one when there is not. See scripts/run-demo.sh.
run: app bins
	scripts/run-demo.sh

test: setup fmt-check clippy test-rust test-ui test-e2e

fmt-check:
	cargo fmt --all --check

clippy: setup
	cargo clippy --workspace --all-targets -- -D warnings

test-rust: setup
	cargo test --workspace

test-ui: setup
	npm --prefix ui test

# Drives the real app through tauri-driver and WebKitWebDriver, always on a virtual display,
# against a real agency server the test starts on a free loopback port.
test-e2e: app bins
	CONVIVIO_APP="$(APP)" CONVIVIO_SERVER="$(SERVER)" $(XVFB_RUN) npm --prefix tests/e2e-app test

lint: fmt-check clippy doc

doc: setup
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

bench: setup
	cargo bench -p convivio-diary
	cargo bench -p convivio-tests --bench sync

# The fault-schedule property test at length: FAULT_SCHEDULES schedules per backend (CI runs
# 500 on SQLite and 200 on PostgreSQL with every `make test`).
test-faults-long: setup
	FAULT_SCHEDULES=$${FAULT_SCHEDULES:-5000} cargo test --release -p convivio-tests --test sync_faults -- --nocapture
