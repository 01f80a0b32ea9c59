// One fresh database per run and backend: a SQLite file in the run's folder, or a PostgreSQL
// database with a random name on the local server (CONVIVIO_TEST_PG, as the Rust storage tests
// use), created with psql and dropped after.
import { randomBytes } from "node:crypto";
import path from "node:path";

import { run } from "./bins.mjs";

const PG_ADMIN = process.env.CONVIVIO_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** The URL of `db` on the server `admin` points at. */
function withDatabase(admin, db) {
  const url = new URL(admin);
  url.pathname = `/${db}`;
  return url.toString();
}

/**
 * A fresh, empty database for `backend` ("sqlite" or "postgres"): `{ url, drop() }`.
 * `dir` is the run's own folder (the SQLite file goes there).
 */
export async function freshDatabase(backend, dir) {
  if (backend === "sqlite") {
    return { url: `sqlite://${path.join(dir, "server.db")}`, drop: async () => {} };
  }
  if (backend !== "postgres") throw new Error(`unknown backend ${backend}`);
  const name = `convivio_e2e_staff_${randomBytes(6).toString("hex")}`;
  const psql = (sql) => run("psql", [PG_ADMIN, "-w", "-v", "ON_ERROR_STOP=1", "-tAqc", sql]);
  await psql(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(PG_ADMIN, name),
    // WITH (FORCE): the server may still hold pooled connections when a failed run ends.
    drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
