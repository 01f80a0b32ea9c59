// The real agency server: `convivio-server serve` on a free loopback port, and its operator
// commands (`admin ... --json`) on the same database.
import { spawn } from "node:child_process";

import { SERVER, cleanEnv, run } from "./bins.mjs";

/** Runs `convivio-server --db DB admin ARGS --json` and parses what it prints. */
export async function admin(db, args, input) {
  return JSON.parse(await run(SERVER, ["--db", db, "admin", ...args, "--json"], { input }));
}

/** Starts the server on `db` and resolves with `{ url, stop() }` once it listens. */
export async function startServer(db) {
  const child = spawn(SERVER, ["--db", db, "serve", "--listen", "127.0.0.1:0"], {
    env: cleanEnv({ RUST_LOG: "warn,convivio_server=info" }),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let said = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${said}`)), 30_000);
    child.stderr.on("data", (chunk) => {
      said += chunk;
      // Only a whole line: the address may arrive in pieces.
      const listening = said.match(/listening on (http:\/\/\S+)\r?\n/);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}: ${said}`));
    });
  });
  // Keep only the tail of the log, for a failure's message.
  child.stderr.removeAllListeners("data");
  child.stderr.on("data", (chunk) => {
    said = (said + chunk).slice(-20_000);
  });
  return {
    url,
    log: () => said,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
