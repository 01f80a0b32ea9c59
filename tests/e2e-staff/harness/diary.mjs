// A caregiver's real diary: the `convivio` CLI (crates/cli) on a folder of its own, enrolled
// with the test's server by a code staff made, syncing over loopback like the app does.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { CLI, cleanEnv, run } from "./bins.mjs";

const PASSPHRASE = "a quiet walk to the village";

export class Diary {
  constructor(dir) {
    this.dir = dir;
    this.env = cleanEnv({ CONVIVIO_PASSPHRASE: PASSPHRASE });
  }

  /** `convivio --diary DIR ARGS`, resolving with stdout (trimmed). */
  async cli(...args) {
    return (await run(CLI, ["--diary", this.dir, ...args], { env: this.env })).trim();
  }

  init() {
    return this.cli("init");
  }

  enrol(server, code) {
    return this.cli("enrol", "--server", server, "--code", code);
  }

  /** `convivio add KIND FLAGS`: resolves with the new entry's id. */
  add(kind, flags) {
    const args = Object.entries(flags).flatMap(([key, value]) => [`--${key.replaceAll("_", "-")}`, String(value)]);
    return this.cli("add", kind, ...args);
  }

  sync() {
    return this.cli("sync");
  }

  /** A sync that is expected to fail: resolves with its exit code and what it said. */
  async syncRefused() {
    try {
      await promisify(execFile)(CLI, ["--diary", this.dir, "sync"], { env: this.env });
    } catch (error) {
      return { code: error.code, said: `${error.stdout}${error.stderr}` };
    }
    throw new Error("convivio sync succeeded, but it should have been refused");
  }

  /** `convivio show ID --json`: the entry, its thread, status, history and read receipts. */
  async show(id) {
    return JSON.parse(await this.cli("show", id, "--json"));
  }

  reply(id, text) {
    return this.cli("reply", id, "--text", text);
  }
}
