// dashboard.mjs - each role through the dashboard in Debian's Chromium.
//
// Environment: HYGIE_URL (the collector), HYGIE_PASSWORD (every user's),
// HYGIE_FINESS (the Île-de-France establishment, with two machines),
// HYGIE_OTHER (the Bretagne one), HYGIE_ARTIFACTS (where screenshots go).
import { chromium } from "playwright-core";
import { readFile } from "node:fs/promises";
import assert from "node:assert/strict";

const url = process.env.HYGIE_URL;
const password = process.env.HYGIE_PASSWORD;
const finess = process.env.HYGIE_FINESS;
const other = process.env.HYGIE_OTHER;
const artifacts = process.env.HYGIE_ARTIFACTS;

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const problems = [];

// A fresh browser profile per role, in French unless told otherwise.
async function as(login, locale, fn, viewport = { width: 1366, height: 900 }) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale, acceptDownloads: true, viewport });
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`${login}: page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of (400|401|403|404)/.test(m.text())) problems.push(`${login}: console: ${m.text()}`);
  });
  await page.goto(url + "/");
  await page.getByLabel(locale.startsWith("fr") ? "Identifiant" : "Login").fill(login);
  await page.getByLabel(locale.startsWith("fr") ? "Mot de passe" : "Password").fill(password);
  await page.keyboard.press("Enter"); // the form works from the keyboard
  await page.locator("#logout").waitFor();
  try {
    await fn(page, context);
  } catch (e) {
    await page.screenshot({ path: `${artifacts}/${login}-failure.png`, fullPage: true });
    throw e;
  } finally {
    await context.close();
  }
}

// Every form control has a label; every image has a text alternative.
async function accessible(page, where) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
      .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label"))
      .map((el) => el.outerHTML));
  assert.deepEqual(unlabelled, [], `${where}: controls without a label`);
  const bare = await page.evaluate(() =>
    [...document.querySelectorAll("svg")].filter((s) => !s.getAttribute("aria-label")).length);
  assert.equal(bare, 0, `${where}: charts without a text alternative`);
}

async function body(page) {
  return page.locator("main").innerText();
}

// Words a French page has only when a text came through in English.
const ENGLISH = /\b(the|is|are|has|have|was|not|no|of|and|with|without|from|days?|hours?|ago|pending|updates?|backups?|password|accounts?|security|found|recorded|report|older|newer|than|fail|warn|pass|skip)\b/i;

// Words an English page has only when a text came through in French (what
// people typed in, the names of places and machines, is theirs).
const FRENCH = /\b(aucun|aucune|depuis|est|sur|sans|pas|mot de passe|sauvegardes?|mises? à jour|conforme|postes?)\b/i;

async function noFrench(page, where) {
  const lines = (await body(page)).split("\n")
    .filter((l) => FRENCH.test(l.replace(/\S*[/\\]\S*/g, "").replace(/EHPAD Les Tilleuls|poste-\w+|Rançongiciel sur le dossier de soins|Imprimer la liste d'astreinte/g, "")));
  assert.deepEqual(lines, [], `${where}: French on an English page`);
}

// Nothing wider than the screen but inside a table's own scrolling box;
// chart text no smaller than 9 px.
async function fits(page, width, where) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= width + 1, `${where}: ${wide} px wide on a ${width} px screen`);
  const small = await page.evaluate(() =>
    Math.min(99, ...[...document.querySelectorAll("svg text")].map((t) => t.getBoundingClientRect().height)));
  assert.ok(small >= 9, `${where}: chart text ${small} px high`);
}

async function noEnglish(page, where) {
  // Paths and names are the machines' own: not words of either language.
  const lines = (await body(page)).split("\n")
    .filter((l) => ENGLISH.test(l.replace(/\S*[/\\]\S*/g, "")));
  assert.deepEqual(lines, [], `${where}: English on a French page`);
}

// Regional support: alerts of its region only, acknowledges one.
await as("idf-support", "fr-FR", async (page) => {
  await page.waitForURL(/#\/alerts/);
  const rows = page.locator("main table tbody tr");
  await rows.first().waitFor();
  assert.ok((await rows.count()) > 0, "regional: no alerts");
  const text = await body(page);
  assert.ok(text.includes("EHPAD Les Tilleuls"), "regional: its establishment is missing");
  assert.ok(!text.includes("Odet"), "regional: sees another region");
  await accessible(page, "alerts");
  await noEnglish(page, "alerts");
  // Grouped by check and establishment; a group is acknowledged at once.
  assert.ok(text.includes("Par contrôle et établissement"), "regional: no grouped view");
  const ack = page.getByRole("button", { name: /^Prendre en compte : / }).first();
  await ack.focus();
  await page.keyboard.press("Enter");
  await page.getByText(/Alertes prises en compte : [1-9]/).waitFor();
  await page.screenshot({ path: `${artifacts}/regional-alerts.png`, fullPage: true });

  // One by one: filters go into the address, so a view can be shared.
  await page.getByRole("link", { name: "Alerte par alerte" }).click();
  await page.waitForURL(/view=list/);
  await page.getByLabel("Gravité").selectOption("high");
  await page.getByRole("button", { name: "Filtrer" }).click();
  await page.waitForURL(/severity=high/);
  await page.locator("main tbody tr").first().waitFor();
  for (const badge of await page.locator("main tbody .badge").allInnerTexts()) assert.equal(badge, "élevée");
  assert.match(await page.locator("p.counts").innerText(), /élevée/);
  const boxes = page.getByRole("checkbox");
  assert.ok((await boxes.count()) >= 2, "regional: nothing to tick");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByRole("button", { name: "Prendre en compte la sélection" }).click();
  await page.getByText("Alertes prises en compte : 2.").waitFor();

  // A filter the API refuses keeps the filters on screen, in French.
  await page.goto(`${url}/#/alerts?view=list&min_age_days=-5`);
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").innerText(), /min_age_days|jours/);
  await noEnglish(page, "a refused filter");
  assert.equal(await page.getByRole("button", { name: "Filtrer" }).count(), 1, "the filters are gone");
  await page.goto(`${url}/#/alerts`);

  await page.getByRole("link", { name: "Établissements" }).click();
  await page.getByRole("link", { name: "EHPAD Les Tilleuls" }).click();
  await page.getByRole("heading", { name: "EHPAD Les Tilleuls" }).waitFor();
  assert.equal(await page.getByRole("table", { name: "Postes" }).locator("tbody tr").count(), 2);
  await page.getByRole("link", { name: "poste-accueil" }).click();
  await page.getByRole("heading", { name: /Poste poste-accueil/ }).waitFor();
  await page.getByText("Que faire").first().waitFor();
  assert.ok((await body(page)).includes("non conforme"), "machine: no failing finding");
  await noEnglish(page, "machine");
  await accessible(page, "machine");
  await page.screenshot({ path: `${artifacts}/regional-machine.png`, fullPage: true });

  // The machine list and the fleet per check, down to the machines.
  await page.getByRole("link", { name: "Postes", exact: true }).click();
  await page.getByRole("heading", { name: "Postes" }).waitFor();
  assert.equal(await page.locator("main tbody tr").count(), 2, "machines: not the region's two");
  assert.ok((await body(page)).includes("Mémoire"), "machines: no memory column");
  await noEnglish(page, "machines");
  await page.screenshot({ path: `${artifacts}/regional-machines.png`, fullPage: true });
  await page.getByRole("link", { name: "Contrôles" }).click();
  await page.getByRole("heading", { name: "Contrôles sur le parc" }).waitFor();
  const antivirus = page.getByRole("row", { name: /Antivirus installé/ });
  await antivirus.getByRole("link").first().click();
  await page.getByRole("heading", { name: /Antivirus installé : postes « non conforme »/ }).waitFor();
  assert.equal(await page.locator("main tbody tr").count(), 2, "checks: not the two machines without antivirus");
  await noEnglish(page, "check machines");
  await page.screenshot({ path: `${artifacts}/regional-check-machines.png`, fullPage: true });

  // Another region's establishment does not exist for this user.
  await page.goto(`${url}/#/establishment/${other}`);
  await page.getByRole("alert").waitFor();
  assert.ok(!(await body(page)).includes("Odet"));
});

// The establishment's administrator: its own page, records an exercise.
await as("tilleuls-direction", "fr-FR", async (page) => {
  await page.waitForURL(new RegExp(`#/establishment/${finess}`));
  await page.getByRole("heading", { name: "EHPAD Les Tilleuls" }).waitFor();
  let text = await body(page);
  assert.ok(text.includes("Exercice de crise cyber annuel"), "the missing exercise is not shown");
  // What to do first: the most severe, split between her part and her IT provider's.
  const first = page.locator("ol.todo > li").first();
  assert.equal(await page.locator("ol.todo > li").count(), 3, "not three things to do first");
  assert.match(await first.innerText(), /critique[\s\S]*Pour vous : Transmettez ce point/);
  assert.equal(await first.locator("details summary").innerText(), "Pour votre prestataire informatique");
  assert.ok(text.includes("aucun exercice de crise cyber enregistré depuis 12 mois"), "the plan in English");
  await noEnglish(page, "establishment");
  await accessible(page, "establishment");
  const score = async () => Number.parseInt(await page.locator(".big .score").innerText(), 10);
  const plan = async () => Number.parseInt(await page.locator("dl.parts dd").nth(1).innerText(), 10);
  const before = [await score(), await plan()];
  assert.ok((await page.locator(".big .score").innerText()).includes("/100"), "the score is not out of 100");
  const form = page.getByRole("form", { name: "Enregistrer un exercice de crise cyber" });
  await form.getByLabel("Date").fill("2026-10-15");
  await form.getByLabel("Scénario").fill("Rançongiciel sur le dossier de soins");
  await form.getByLabel("Nombre de participants").fill("7");
  await form.getByLabel("Enseignements").fill("Imprimer la liste d'astreinte");
  await form.getByRole("button", { name: "Enregistrer" }).click();
  await form.getByText("Enregistré. Alerte résolue : Exercice de crise cyber annuel.").waitFor();
  await page.getByRole("cell", { name: "Rançongiciel sur le dossier de soins" }).waitFor();
  text = await body(page);
  assert.ok(!text.includes("Exercice de crise cyber annuel"), "the exercise alert is still shown");
  // A restore test: the backup is picked among those reported, the result
  // is never assumed; saving says which alert it resolved.
  const restore = page.getByRole("form", { name: "Enregistrer un test de restauration" });
  await restore.getByLabel("Date").fill("2026-11-02");
  await restore.getByLabel("Sauvegarde testée").selectOption("nightly");
  assert.equal(await restore.getByLabel("Résultat").inputValue(), "", "a result is assumed");
  await restore.getByRole("button", { name: "Enregistrer" }).click();
  assert.equal(await restore.evaluate((f) => f.checkValidity()), false, "saved without a result");
  await restore.getByLabel("Résultat").selectOption("success");
  await restore.getByRole("button", { name: "Enregistrer" }).click();
  await restore.getByText("Enregistré. Alerte résolue : Test de restauration — nightly.").waitFor();
  await page.getByRole("cell", { name: "nightly" }).first().waitFor();
  const after = [await score(), await plan()];
  assert.ok(after[1] > before[1] && after[0] > before[0], `the exercise did not move the score: ${before} -> ${after}`);
  await page.screenshot({ path: `${artifacts}/establishment-page.png`, fullPage: true });

  // English by the switch; the choice sticks.
  await page.getByRole("button", { name: "Switch to English" }).click();
  await page.getByRole("button", { name: "Log out" }).waitFor();
  await page.getByRole("heading", { name: "What was done" }).waitFor();
  await page.reload();
  await page.getByRole("button", { name: "Log out" }).waitFor();
  await page.screenshot({ path: `${artifacts}/establishment-english.png`, fullPage: true });

  // Not another establishment's page.
  await page.goto(`${url}/#/establishment/${other}`);
  await page.getByRole("alert").waitFor();
});

// A funder: the equipment ranking and aggregates, never a machine or a person.
await as("cnsa-analyst", "en-GB", async (page, context) => {
  await page.waitForURL(/#\/equipment/);
  await page.getByRole("heading", { name: "Equipment catch-up" }).waitFor();
  const nav = await page.locator("nav").innerText();
  assert.ok(!nav.includes("Alerts"), "a funder has the alerts page");
  await accessible(page, "equipment");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Export for a spreadsheet (CSV)" }).click(),
  ]);
  const csv = await readFile(await download.path(), "utf8");
  assert.match(csv, /^\uFEFFneed_rank,finess,name,region,department,machines,to_replace/);
  assert.ok(csv.includes(finess) && csv.includes(other), "the CSV lacks an establishment");
  assert.match(csv, /\r\n,,Total,,,\d+,/, "the CSV has no total");
  await page.screenshot({ path: `${artifacts}/funder-equipment.png`, fullPage: true });
  for (const [link, heading] of [["Plan progress", "Plan progress"], ["Open data", "Open data per département"]]) {
    await page.getByRole("link", { name: link }).click();
    await page.getByRole("heading", { name: heading }).waitFor();
    await page.locator("main table").waitFor();
    await accessible(page, link);
    await page.screenshot({ path: `${artifacts}/funder-${link.replace(/ /g, "-").toLowerCase()}.png`, fullPage: true });
  }
  for (const secret of ["poste-accueil", "poste-soins", "tilleuls-direction", "idf-support"]) {
    for (const path of ["#/equipment", "#/progress", "#/opendata"]) {
      await page.goto(url + "/" + path);
      await page.locator("main table").waitFor();
      assert.ok(!(await page.content()).includes(secret), `a funder sees ${secret} on ${path}`);
    }
  }
  // A machine page is refused.
  await page.goto(`${url}/#/establishment/${finess}`);
  await page.getByRole("alert").waitFor();
  void context;
});

// The administrator sees both regions.
await as("root-admin", "fr-FR", async (page) => {
  // The export opens in French Excel as it is: BOM, ';', French headers, a total.
  await page.getByRole("link", { name: "Équipement" }).click();
  await page.getByRole("heading", { name: "Rattrapage d'équipement" }).waitFor();
  assert.ok((await body(page)).includes("Le besoin, de 0 à 100"), "the need is not explained");
  // Foyer de l'Odet has no machine: no data, never a need of 0.
  assert.match(await page.getByRole("row", { name: /Foyer de l'Odet/ }).innerText(), /pas de données/);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Exporter pour un tableur (CSV)" }).click(),
  ]);
  const bytes = await readFile(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "no UTF-8 byte order mark");
  const fr = bytes.toString("utf8");
  assert.match(fr, /^\uFEFFRang selon le besoin;FINESS;Établissement;Région;Département;Postes;/);
  assert.match(fr, /;Total;/);
  // Filtered by region, on the page and in the export.
  await page.getByLabel("Région").selectOption("Bretagne");
  await page.getByRole("button", { name: "Filtrer" }).click();
  await page.waitForURL(/region=Bretagne/);
  await page.getByText("Foyer de l'Odet").first().waitFor();
  assert.ok(!(await body(page)).includes("EHPAD Les Tilleuls"), "the region filter lets another region in");
  await page.screenshot({ path: `${artifacts}/admin-equipment.png`, fullPage: true });
  // Its page says there is nothing to assess yet, and how to enroll a machine.
  await page.goto(`${url}/#/establishment/${other}`);
  await page.getByRole("heading", { name: "Foyer de l'Odet" }).waitFor();
  assert.match(await body(page), /Aucun poste de cet établissement n'est encore inscrit.*installez l'agent Hygie/s);
  assert.ok(!(await body(page)).includes("Rien ne manque"), "no machine, yet nothing missing");
  await page.getByRole("link", { name: "Établissements" }).click();
  await page.getByRole("link", { name: "Foyer de l'Odet" }).waitFor();
  await page.getByRole("link", { name: "EHPAD Les Tilleuls" }).waitFor();
  await page.screenshot({ path: `${artifacts}/admin-establishments.png`, fullPage: true });
  await page.getByRole("button", { name: "Se déconnecter" }).click();
  await page.getByRole("heading", { name: "Connexion" }).waitFor();
});

// Each page at a phone's and a laptop's width, in French and in English.
for (const [locale, width] of [["fr-FR", 390], ["en-GB", 390], ["en-GB", 1366]]) {
  await as("tilleuls-direction", locale, async (page) => {
    const english = locale.startsWith("en");
    const tag = `${locale}-${width}`;
    await page.waitForURL(new RegExp(`#/establishment/${finess}`));
    await page.getByRole("heading", { name: "EHPAD Les Tilleuls" }).waitFor();
    const pages = [["establishment", null], ["machines", "#/machines"], ["checks", "#/checks"],
      ["alerts", "#/alerts?view=list"], ["equipment", "#/equipment"]];
    for (const [name, hash] of pages) {
      if (hash) {
        await page.goto(`${url}/${hash}`);
        await page.locator("main h1").waitFor();
        await page.locator("main table, main .notice").first().waitFor();
      }
      await fits(page, width, `${tag} ${name}`);
      if (english) await noFrench(page, `${tag} ${name}`);
      else await noEnglish(page, `${tag} ${name}`);
      await page.screenshot({ path: `${artifacts}/${tag}-${name}.png`, fullPage: true });
    }
    await page.goto(`${url}/#/machines`);
    await page.locator("main tbody tr a").first().click();
    await page.locator("ul.findings").waitFor();
    await fits(page, width, `${tag} machine`);
    if (english) await noFrench(page, `${tag} machine`);
    else await noEnglish(page, `${tag} machine`);
    await page.screenshot({ path: `${artifacts}/${tag}-machine.png`, fullPage: true });
  }, { width, height: width < 600 ? 844 : 900 });
}

await browser.close();
assert.deepEqual(problems, [], "errors in the pages");
console.log("dashboard: all roles ok");
