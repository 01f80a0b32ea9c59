// The real Convivio app, driven end to end: tauri-driver starts the built binary inside
// WebKitWebDriver, and WebdriverIO clicks through it like a caregiver would. Run it under a
// display (`xvfb-run -a`), with CONVIVIO_APP pointing at a custom-protocol build and
// CONVIVIO_SERVER at the agency server (`make test-e2e` does all three). Every run gets a fresh,
// empty data folder, and its own agency server on a free loopback port over its own SQLite file.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";

import { remote } from "webdriverio";

const TARGET = process.env.CARGO_TARGET_DIR ?? path.join(homedir(), ".cache/convivio/target");
const APP = process.env.CONVIVIO_APP ?? path.join(TARGET, "debug/convivio-app");
const SERVER = process.env.CONVIVIO_SERVER ?? path.join(TARGET, "debug/convivio-server");
const AGENCY = "Valle Verde";
const DRIVER_PORT = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const PASSPHRASE = "blue kettle on the windowsill";
const NOTE = "Mamma slept well. The nurse came on time and stayed for a coffee.";

// What a caregiver reads for the backend's refusals: the UI's own words, chosen by the error's
// code and rule, never the backend's English `message` ("text: must not be empty").
const SAYS = {
  empty: {
    en: "This is still empty. Please write something here.",
    it: "Questo campo è ancora vuoto. Scrivi qualcosa qui.",
  },
  tooShort: { en: "This is too short. Please use at least 8 characters." },
  mismatch: { en: "The two passphrases are not the same. Please type them again." },
  wrongPassphrase: { en: "That passphrase does not open this diary. Check it and try again." },
  notConnected: {
    en: "This diary is not connected to a care agency yet. What you share with the agency waits on this device until you connect.",
  },
  oneWaiting: { en: "1 entry is waiting to be sent." },
  noneWaiting: { en: "Nothing is waiting to be sent." },
  codeRefused: {
    en: "The agency's server did not accept this code. Check it, or ask the agency for a new one.",
  },
  connected: { en: `Connected to ${AGENCY}.` },
  syncedJustNow: { en: "Last synced: just now" },
  revoked: {
    en: "Your care agency has disconnected this device, so nothing more is sent. Your diary stays on this device. Ask the agency for a new code to connect again.",
  },
};

let driver;
let dataDir;
/** The agency's server: its process, address and database. */
let server;

/**
 * The server's environment: this one without CONVIVIO_* variables, so a developer's own server
 * settings (CONVIVIO_DB, CONVIVIO_LISTEN, ...) cannot point the test's server elsewhere.
 */
function serverEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("CONVIVIO_")));
}

/** Runs `convivio-server admin ARGS --json` on the test's database, as agency staff would. */
async function admin(...args) {
  const { stdout } = await promisify(execFile)(SERVER, ["--db", server.db, "admin", ...args, "--json"], {
    env: serverEnv(),
  });
  return JSON.parse(stdout);
}

/** Starts the agency's server on a free loopback port and resolves with its address. */
async function startServer(dir) {
  const db = `sqlite://${path.join(dir, "server.db")}`;
  const child = spawn(SERVER, ["--db", db, "serve", "--listen", "127.0.0.1:0"], {
    env: serverEnv(),
    stdio: ["ignore", "ignore", "pipe"],
  });
  const url = await new Promise((resolve, reject) => {
    let said = "";
    const timer = setTimeout(() => reject(new Error(`the server did not start: ${said}`)), 20_000);
    child.stderr.on("data", (chunk) => {
      said += chunk;
      // Only a whole line: the address may arrive in pieces.
      const listening = said.match(/listening on (http:\/\/\S+)\r?\n/);
      if (listening) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}: ${said}`)));
  });
  child.stderr.resume();
  return { child, url, db };
}

/** Resolves once something accepts connections on `port`, or fails after `ms`. */
async function waitForPort(port, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    if (driver.exitCode !== null) throw new Error(`tauri-driver exited with ${driver.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on port ${port} within ${ms} ms`);
}

/**
 * A new app window: one WebDriver session is one run of the app. On a busy machine tauri-driver
 * may try WebKitWebDriver before it listens and drop our request (the socket closes with no
 * session, so no app was started): then ask again, a few times.
 */
async function startApp() {
  for (let attempt = 1; ; attempt++) {
    try {
      return await newSession();
    } catch (error) {
      const dropped = String(error?.message ?? error).includes("UND_ERR_SOCKET");
      if (!dropped || attempt === 3) throw error;
      await new Promise((r) => setTimeout(r, 2_000));
    }
  }
}

function newSession() {
  return remote({
    hostname: "127.0.0.1",
    port: DRIVER_PORT,
    logLevel: "error",
    connectionRetryCount: 0,
    capabilities: {
      "tauri:options": { application: APP },
      "wdio:enforceWebDriverClassic": true,
    },
  });
}

/** Saves a screenshot named `name` when E2E_SCREENSHOTS names a folder (for looking, not asserting). */
async function screenshot(app, name, scrollTo) {
  const dir = process.env.E2E_SCREENSHOTS;
  if (!dir) return;
  if (scrollTo) await (await app.$(byId(scrollTo))).scrollIntoView();
  await app.saveScreenshot(path.join(dir, `${name}.png`));
}

const byId = (id) => `[data-testid="${id}"]`;

/** Waits until the app shows `screen` (create, unlock, home). */
async function onScreen(app, screen) {
  const main = await app.$(`${byId("screen")}[data-screen="${screen}"]`);
  await main.waitForExist({ timeout: 20_000 });
}

async function type(app, id, text) {
  const input = await app.$(byId(id));
  await input.waitForDisplayed();
  await input.setValue(text);
}

async function click(app, id) {
  const element = await app.$(byId(id));
  await element.scrollIntoView({ block: "center" });
  await element.waitForClickable();
  await element.click();
}

/** Waits until element `id` shows exactly `expected`, and says what it showed if it never does. */
async function waitForText(app, id, expected) {
  let shown;
  await app
    .waitUntil(
      async () => {
        const element = await app.$(byId(id));
        shown = (await element.isDisplayed()) ? await element.getText() : undefined;
        return shown === expected;
      },
      { timeout: 10_000 },
    )
    .catch(async () => {
      // What the caregiver saw instead, to tell a refusal from a hang.
      const screen = await (await app.$(byId("screen"))).getText().catch(() => "");
      assert.fail(
        `${id} showed ${JSON.stringify(shown)}, not ${JSON.stringify(expected)}; the screen said:\n${screen}`,
      );
    });
}

/** The journey (`data-state`) the timeline card of the entry with `text` shows. */
async function journeyOf(app, text) {
  for (const card of await app.$$(byId("timeline-entry"))) {
    if ((await (await card.$(byId("entry-text"))).getText()) === text) {
      return (await card.$(byId("entry-journey"))).getAttribute("data-state");
    }
  }
  return null;
}

/** Waits until the card of the entry with `text` shows journey `state`. */
async function waitForJourney(app, text, state) {
  let seen;
  await app.waitUntil(async () => (seen = await journeyOf(app, text)) === state, {
    timeout: 10_000,
    timeoutMsg: `the entry "${text}" should show the journey ${state}, not ${seen}`,
  });
}

/** Picks a language and waits until the page says it is in that language. */
async function chooseLanguage(app, lang) {
  await (await app.$(byId("language"))).selectByAttribute("value", lang);
  await app.waitUntil(async () => (await app.$("html").getAttribute("lang")) === lang, {
    timeout: 5_000,
    timeoutMsg: `the app did not switch to ${lang}`,
  });
}

async function timelineTexts(app) {
  const texts = [];
  for (const entry of await app.$$(byId("entry-text"))) texts.push(await entry.getText());
  return texts;
}

before(async () => {
  assert.ok(existsSync(APP), `no app binary at ${APP}: run \`make app\` first`);
  assert.ok(existsSync(SERVER), `no server binary at ${SERVER}: run \`make bins\` first`);
  dataDir = await mkdtemp(path.join(tmpdir(), "convivio-e2e-"));
  server = await startServer(dataDir);
  await admin("create-agency", AGENCY);
  // The app inherits this environment through tauri-driver and WebKitWebDriver.
  driver = spawn("tauri-driver", ["--port", String(DRIVER_PORT)], {
    env: { ...process.env, CONVIVIO_DATA_DIR: dataDir },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForPort(DRIVER_PORT, 20_000);
});

after(async () => {
  // SIGTERM, never SIGKILL: tauri-driver then also stops WebKitWebDriver, which would
  // otherwise keep pipes open and hang the run.
  if (driver && driver.exitCode === null) {
    const exited = new Promise((resolve) => driver.once("exit", resolve));
    driver.kill("SIGTERM");
    await exited;
  }
  if (server && server.child.exitCode === null) {
    const exited = new Promise((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGTERM");
    await exited;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// One story in order: each step needs the app as the step before left it.
test(
  "a caregiver creates a diary, writes a note, finds it again after a restart, and syncs with the agency",
  { timeout: 300_000 },
  async (t) => {
    let app = await startApp();
    try {
      await t.test("a new diary asks for a passphrase and warns it cannot be recovered", async () => {
        await onScreen(app, "create");
        // The webview remembers the language: start in English whatever a failed run left.
        await chooseLanguage(app, "en");
        const title = await app.getTitle();
        assert.equal(title, "Convivio");
        const warning = await (await app.$(byId("create-warning"))).getText();
        assert.match(warning, /forget|dimentichi|vergessen|oubliez/i);
      });

      await t.test("an empty passphrase is refused in plain words, with the shortest length", async () => {
        await click(app, "create-submit");
        await waitForText(app, "passphrase-error", SAYS.tooShort.en);
        await onScreen(app, "create");
      });

      await t.test("passphrases that differ are caught before anything is created", async () => {
        await type(app, "passphrase", PASSPHRASE);
        await type(app, "confirm", `${PASSPHRASE}!`);
        await click(app, "create-submit");
        await waitForText(app, "confirm-error", SAYS.mismatch.en);
        await onScreen(app, "create");
      });

      await t.test("the diary is created and opens", async () => {
        await type(app, "confirm", PASSPHRASE);
        await click(app, "create-submit");
        await onScreen(app, "home");
        await (await app.$(byId("timeline-empty"))).waitForDisplayed();
      });

      await t.test("a note with mood, burden and sharing appears at the top of the timeline", async () => {
        await type(app, "note-text", NOTE);
        await click(app, "mood-4");
        await click(app, "burden-2");
        await click(app, "sharing-agency");
        await click(app, "note-submit");
        await app.waitUntil(async () => (await timelineTexts(app))[0] === NOTE, {
          timeout: 10_000,
          timeoutMsg: "the note did not appear in the timeline",
        });
        const entry = await app.$(byId("timeline-entry"));
        assert.match(await (await entry.$(byId("entry-mood"))).getText(), /4/);
        assert.match(await (await entry.$(byId("entry-burden"))).getText(), /2/);
        await screenshot(app, "timeline-with-note", "timeline");
        const status = await app.$(byId("status"));
        await app.waitUntil(async () => (await status.getText()).length > 0, { timeout: 5_000 });
      });

      await t.test("the language picker changes the words at once", async () => {
        const language = await app.$(byId("language"));
        await language.selectByAttribute("value", "it");
        const submit = await app.$(byId("note-submit"));
        await app.waitUntil(async () => (await submit.getText()) === "Salva la nota", {
          timeout: 5_000,
          timeoutMsg: "the form did not switch to Italian",
        });
        await screenshot(app, "home-in-italian");
        // The choice is remembered by the webview: leave it as the next run expects to find it.
        await language.selectByAttribute("value", "en");
        await app.waitUntil(async () => (await submit.getText()) === "Save the note", { timeout: 5_000 });
      });

      await t.test("in Italian, an empty note is refused in Italian", async () => {
        await chooseLanguage(app, "it");
        await click(app, "note-submit");
        await waitForText(app, "text-error", SAYS.empty.it);
        await screenshot(app, "home-with-error-in-italian");
        assert.deepEqual(await timelineTexts(app), [NOTE]);
        // The refusal on screen follows the language, like every other word. Leave English on
        // for the next run.
        await chooseLanguage(app, "en");
        await waitForText(app, "text-error", SAYS.empty.en);
      });

      await t.test("an empty note is refused next to the text field and nothing is added", async () => {
        await click(app, "note-submit");
        await waitForText(app, "text-error", SAYS.empty.en);
        await screenshot(app, "home-with-error");
        assert.deepEqual(await timelineTexts(app), [NOTE]);
      });
    } finally {
      await app.deleteSession();
    }

    app = await startApp();
    try {
      await t.test("after a restart a wrong passphrase is refused in plain words", async () => {
        await onScreen(app, "unlock");
        await type(app, "passphrase", "not my passphrase");
        await click(app, "unlock-submit");
        await waitForText(app, "passphrase-error", SAYS.wrongPassphrase.en);
        await screenshot(app, "unlock-wrong-passphrase");
        await onScreen(app, "unlock");
      });

      await t.test("the right passphrase opens the diary and the note is still there", async () => {
        await type(app, "passphrase", PASSPHRASE);
        await click(app, "unlock-submit");
        await onScreen(app, "home");
        await app.waitUntil(async () => (await timelineTexts(app))[0] === NOTE, {
          timeout: 10_000,
          timeoutMsg: "the note was not in the timeline after unlocking",
        });
      });

      await t.test("older entries come a page at a time with 'Show older entries'", async () => {
        // Twenty more notes, written straight through the app's own bridge, then a reload: the
        // first page (20) holds only those, and the note written by hand is on the second.
        const added = await app.execute(async (count) => {
          for (let i = 1; i <= count; i += 1) {
            await window.__TAURI_INTERNALS__.invoke("entry_add", {
              input: { kind: "note", text: `Quick note ${i}` },
            });
          }
          return count;
        }, 20);
        assert.equal(added, 20);
        await app.refresh();
        await onScreen(app, "home");
        await app.waitUntil(async () => (await timelineTexts(app)).length === 20, {
          timeout: 10_000,
          timeoutMsg: "the first page did not hold 20 entries",
        });
        assert.equal((await timelineTexts(app))[0], "Quick note 20");
        await click(app, "timeline-more");
        await app.waitUntil(async () => (await timelineTexts(app)).length === 21, {
          timeout: 10_000,
          timeoutMsg: "the older entry did not load",
        });
        assert.equal((await timelineTexts(app))[20], NOTE);
        await (await app.$(byId("timeline-end"))).waitForDisplayed();
        assert.equal(await (await app.$(byId("timeline-more"))).isExisting(), false);
      });

      await t.test("the diary is not connected yet and says the shared note waits on the device", async () => {
        // The note shared with the agency waits; the twenty quick notes are private.
        await waitForText(app, "sync-not-connected", SAYS.notConnected.en);
        await waitForText(app, "sync-waiting", SAYS.oneWaiting.en);
        await waitForJourney(app, NOTE, "waiting");
        assert.equal(await journeyOf(app, (await timelineTexts(app))[0]), "only_here", "a private note");
        await screenshot(app, "sync-not-connected", "sync-panel");
      });

      await t.test("a wrong code is refused next to the code field, in plain words", async () => {
        // The form is folded away until the caregiver asks to connect.
        assert.equal(await (await app.$(byId("enrol-form"))).isDisplayed(), false);
        await click(app, "enrol-open");
        await type(app, "enrol-server", server.url);
        await type(app, "enrol-code", "WRONG-CODE");
        await click(app, "enrol-submit");
        await waitForText(app, "enrol-code-error", SAYS.codeRefused.en);
        const focused = await app.execute(() => document.activeElement?.id);
        assert.equal(focused, "enrol-code");
        assert.equal(await (await app.$(byId("sync-panel"))).getAttribute("data-sync-state"), "not_enrolled");
      });

      await t.test("the agency's code connects the diary, and the note that waited is sent", async () => {
        const { code } = await admin("enrol", "--agency", AGENCY, "--caregiver", "Maria R.");
        await type(app, "enrol-code", code);
        await click(app, "enrol-submit");
        await waitForText(app, "sync-agency", SAYS.connected.en);
        // The first sync runs as soon as the diary is connected.
        await waitForText(app, "sync-waiting", SAYS.noneWaiting.en);
        const stats = await admin("stats");
        assert.equal(stats.records_by_kind.entry, 1, JSON.stringify(stats));
        await waitForJourney(app, NOTE, "received");
      });

      await t.test("a new shared note is sent with 'Sync now': synced, nothing waiting", async () => {
        const text = "The physiotherapist could not come; nobody called.";
        await type(app, "note-text", text);
        await click(app, "sharing-agency");
        await click(app, "note-submit");
        await app.waitUntil(async () => (await timelineTexts(app))[0] === text, {
          timeout: 10_000,
          timeoutMsg: "the note was not saved",
        });
        await click(app, "sync-now");
        // The server has it (the app also syncs by itself a few seconds after a save).
        let stats;
        await app.waitUntil(async () => (stats = await admin("stats")).records_by_kind.entry === 2, {
          timeout: 10_000,
          timeoutMsg: `the note did not reach the server: ${JSON.stringify(stats)}`,
        });
        await waitForText(app, "sync-waiting", SAYS.noneWaiting.en);
        await waitForText(app, "sync-last", SAYS.syncedJustNow.en);
        assert.equal(await (await app.$(byId("sync-error"))).isExisting(), false);
        await screenshot(app, "sync-synced", "sync-panel");
      });

      await t.test("when the agency revokes the device, 'Sync now' says so plainly", async () => {
        const { device_syncs: devices } = await admin("stats");
        assert.equal(devices.length, 1);
        await admin("revoke-device", devices[0].device_id);
        await click(app, "sync-now");
        await waitForText(app, "sync-revoked", SAYS.revoked.en);
        // Connecting again with a new code is offered at once, unfolded, at the same address.
        await (await app.$(byId("enrol-form"))).waitForDisplayed();
        assert.equal(await (await app.$(byId("enrol-server"))).getValue(), server.url);
        await screenshot(app, "sync-revoked", "sync-panel");
      });
    } finally {
      await app.deleteSession();
    }
  },
);
