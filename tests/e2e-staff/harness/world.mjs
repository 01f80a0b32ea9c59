// Everything one backend's run needs, made the way an agency would: a fresh database, an
// agency with an admin, a seeded population with its planted early-warning cases
// (`admin seed --json` says which), the server, and one real caregiver's diary enrolled by
// code, holding words that try to break out of the page.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { run, SERVER } from "./bins.mjs";
import { freshDatabase } from "./database.mjs";
import { Diary } from "./diary.mjs";
import { admin, startServer } from "./server.mjs";

export const AGENCY = "Valle Verde";
export const STAFF = { username: "anna.ferri", password: "una password lunga e tranquilla" };
/** Small enough for a few minutes per backend, big enough to page the queue. */
const SEED = { caregivers: 12, entries: 20, seed: 7 };

/** Words a caregiver might type that a page must show as text, never run or render. */
export const HOSTILE = {
  name: `Lucia <b>Bruni</b> "Lu" & <script>window.__pwned = "name"</script>`,
  note: `<script>window.__pwned = "note"</script> "virgolette" & 'apici' <img src=x onerror="window.__pwned = 'img'"> <b>grassetto</b>`,
  service: `<i>Fisioterapia</i> "a domicilio" & <svg onload="window.__pwned = 'svg'">`,
};
/** The need the story is about: found by searching "citta", without the accent. */
export const NEED_TEXT = "Serve un passaggio in città per la visita di martedì alle 9.";

/** Builds the world for `backend` ("sqlite" or "postgres"). */
export async function makeWorld(backend) {
  const dir = await mkdtemp(path.join(tmpdir(), `convivio-e2e-staff-${backend}-`));
  const database = await freshDatabase(backend, dir);
  const db = database.url;
  const world = { backend, dir, db, database };
  try {
    await admin(db, ["create-agency", AGENCY]);
    world.staff = await admin(db, ["create-staff", "--agency", AGENCY, "--username", STAFF.username, "--role", "admin"], STAFF.password);
    world.seed = JSON.parse(
      await run(SERVER, [
        "--db", db, "admin", "seed", "--agency", AGENCY,
        "--caregivers", String(SEED.caregivers), "--entries-per-caregiver", String(SEED.entries),
        "--seed", String(SEED.seed), "--json",
      ]),
    );
    world.server = await startServer(db);

    // The caregiver: a code from staff, a diary enrolled with it, a few entries shared with
    // the agency, sent with one sync.
    const enrolment = await admin(db, ["enrol", "--agency", AGENCY, "--caregiver", HOSTILE.name]);
    world.caregiverId = enrolment.caregiver_id;
    const diary = new Diary(path.join(dir, "diary"));
    await diary.init();
    await diary.enrol(world.server.url, enrolment.code);
    world.needId = await diary.add("need", { category: "transport", urgency: "high", text: NEED_TEXT, sharing: "agency" });
    world.noteId = await diary.add("note", { text: HOSTILE.note, mood: 3, burden: 4, sharing: "agency" });
    world.experienceId = await diary.add("experience", {
      service: HOSTILE.service, rating: 2, went_badly: HOSTILE.note, factor: "mistake", sharing: "agency",
    });
    await diary.sync();
    world.diary = diary;
    return world;
  } catch (error) {
    await endWorld(world);
    throw error;
  }
}

/** Stops the server, drops the database and removes the run's folder. */
export async function endWorld(world) {
  await world.server?.stop();
  await world.database.drop();
  await rm(world.dir, { recursive: true, force: true });
}
