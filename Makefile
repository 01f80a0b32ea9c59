# Convivio's everyday commands. `make test` is what CI runs (.ci/run); `make run` opens the app.
# Every target that builds first runs scripts/setup.sh, which installs only what is missing.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := run

# One build cache for every checkout and for CI: cold Tauri builds take minutes on two cores.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/convivio/target
export PATH := $(HOME)/.cargo/bin:$(PATH)

APP := $(CARGO_TARGET_DIR)/debug/convivio-app
XVFB_RUN := xvfb-run -a -s "-screen 0 1280x800x24"
# `make run` shows a real window when there is a display, and a virtual one when there is not.
MAYBE_XVFB := $(if $(DISPLAY),,$(XVFB_RUN))

.PHONY: setup ui app run test fmt-check clippy test-rust test-ui test-e2e lint doc bench

setup:
	scripts/setup.sh

ui: setup
	npm --prefix ui run build

# The app with the UI embedded (custom protocol). A plain `cargo build` would make a dev
# binary that loads the Vite dev server instead.
app: ui
	cargo build -p convivio-app --features custom-protocol

# Keeps the diary in $CONVIVIO_DATA_DIR when set, else in Tauri's app data directory.
run: app
	$(MAYBE_XVFB) $(APP)

test: setup fmt-check clippy test-rust test-ui test-e2e

fmt-check:
	cargo fmt --all --check

clippy: setup
	cargo clippy --workspace --all-targets -- -D warnings

test-rust: setup
	cargo test --workspace

test-ui: setup
	npm --prefix ui test

# Drives the real app through tauri-driver and WebKitWebDriver, always on a virtual display.
test-e2e: app
	CONVIVIO_APP="$(APP)" $(XVFB_RUN) npm --prefix tests/e2e-app test

lint: fmt-check clippy doc

doc: setup
	RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

bench: setup
	cargo bench -p convivio-diary
