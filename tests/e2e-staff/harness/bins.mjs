// Where the binaries under test are, and the environment they run in. Both come from the
// Makefile (`make test-staff` sets CONVIVIO_SERVER and CONVIVIO_CLI); the defaults are the
// shared build cache's, as in tests/e2e-app.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const TARGET = process.env.CARGO_TARGET_DIR ?? path.join(homedir(), ".cache/convivio/target");
export const SERVER = process.env.CONVIVIO_SERVER ?? path.join(TARGET, "debug/convivio-server");
export const CLI = process.env.CONVIVIO_CLI ?? path.join(TARGET, "debug/convivio");

/** Fails early, saying what to build, when a binary is missing. */
export function assertBuilt() {
  for (const bin of [SERVER, CLI]) {
    if (!existsSync(bin)) throw new Error(`no binary at ${bin}: run \`make bins\` first`);
  }
}

/**
 * This environment without CONVIVIO_* variables: the server and the CLI read their settings
 * from those (CONVIVIO_DB, CONVIVIO_DIARY, ...), so a developer's own cannot point a test
 * elsewhere. `extra` is added after.
 */
export function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("CONVIVIO_")));
  return { ...env, ...extra };
}

/** Runs `file args`, resolving with stdout; a failure carries stderr in its message. */
export async function run(file, args, { env = cleanEnv(), input } = {}) {
  const child = promisify(execFile)(file, args, { env, maxBuffer: 64 * 1024 * 1024 });
  if (input !== undefined) {
    child.child.stdin.end(input);
  }
  try {
    return (await child).stdout;
  } catch (error) {
    error.message = `${path.basename(file)} ${args.join(" ")} failed: ${error.stderr || error.message}`;
    throw error;
  }
}
