// The FS-001 item of samples/food_sales in GoRules ZEN, CEL (@bufbuild/cel),
// json-logic-engine and plain JavaScript, on the same applications as miaopi:
// every peer must reach miaopi's decision and reasons (rule and status) on
// every application, then each is timed from JSON text to decision, one
// thread, and compared with `miaopi batch --threads 1` in the same run.
//
//   node run.mjs MIAOPI PACK APPS.jsonl [--date 2026-09-10] [--runs 3]
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { LogicEngine } from "json-logic-engine";
import { celEnv, celFunc, CelScalar, isCelError, parse, plan } from "@bufbuild/cel";
import { ZenEngine } from "@gorules/zen-engine";
import * as lib from "./lib.mjs";

const [miaopi, pack, appsPath] = process.argv.slice(2);
const flag = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const DATE = flag("--date", "2026-09-10");
const RUNS = +flag("--runs", "3");
const texts = readFileSync(appsPath, "utf8").split("\n").filter((l) => l);
const blacklist = lib.keysOf(`${pack}/tables/credit_blacklist.csv`);
const districts = lib.keysOf(`${pack}/tables/foshan_districts.csv`);

// ---------------------------------------------------------------- plain JavaScript
const str = (v) => (typeof v === "string" ? v : undefined);
function plainRules(app) {
  const a = app.applicant ?? {}, b = app.business ?? {};
  const at = app.submitted_at;
  const id = str(a.id_number), uscc = str(b.uscc);
  const any = (list, f) => {  // Kleene: true wins, else unknown, else false
    if (!Array.isArray(list)) return null;
    let r = false;
    for (const e of list) { const v = f(e); if (v === true) return true; if (v === null) r = null; }
    return r;
  };
  const all = (list, f) => {
    if (!Array.isArray(list)) return null;
    let r = true;
    for (const e of list) { const v = f(e); if (v === false) return false; if (v === null) r = null; }
    return r;
  };
  const and = (...xs) => (xs.includes(false) ? false : xs.includes(null) ? null : true);
  const birthFromId = id === undefined ? null : lib.idBirth(id);
  return [
    lib.adult(a.birth_date, at),
    id === undefined ? null : lib.idValid(id),
    birthFromId === null || !lib.isDate(a.birth_date) ? null : birthFromId === a.birth_date,
    uscc === undefined ? null : lib.usccValid(uscc),
    uscc === undefined ? null : !blacklist.has(uscc),
    str(b.district) === undefined ? null : districts.has(b.district),
    any(b.scope, (s) => (typeof s === "string" ? s.includes("预包装食品") : null)),
    any(app.licences, (l) =>
      and(str(l?.type) === undefined ? null : l.type === "business_licence",
          str(l?.status) === undefined ? null : l.status === "valid",
          lib.isDate(l?.expires) && lib.isDate(at) ? lib.days(l.expires) > lib.days(at) : null,
          str(l?.holder) === undefined || uscc === undefined ? null : l.holder === uscc)),
    all(app.staff, (s) => (lib.isDate(s?.health_cert_expires) && lib.isDate(at) ? lib.days(s.health_cert_expires) > lib.days(at) : null)),
    Array.isArray(app.staff) ? app.staff.length >= 1 && app.staff.length <= 50 : null,
    typeof b.area_m2 === "number" ? b.area_m2 >= 10 : null,
    a.phone === undefined || a.phone === null ? true : typeof a.phone === "string" ? a.phone === "" || /^1[3-9][0-9]{9}$/.test(a.phone) : null,
  ];
}

// ---------------------------------------------------------------- CEL
// Missing fields are errors in CEL, and an error is unknown; broken dates
// are caught with isDate and answered with null (unknown).
const S = CelScalar;
const celEnvFs = celEnv({
  funcs: [
    celFunc("isDate", [S.DYN], S.BOOL, (s) => lib.isDate(s)),
    celFunc("adult", [S.STRING, S.STRING], S.BOOL, (b, a) => lib.adult(b, a) === true),
    celFunc("days", [S.STRING], S.INT, (s) => BigInt(lib.days(s))),
    celFunc("idValid", [S.STRING], S.BOOL, (s) => lib.idValid(s)),
    celFunc("idBirth", [S.STRING], S.DYN, (s) => lib.idBirth(s)),
    celFunc("usccValid", [S.STRING], S.BOOL, (s) => lib.usccValid(s)),
    celFunc("blacklisted", [S.STRING], S.BOOL, (s) => blacklist.has(s)),
    celFunc("district", [S.STRING], S.BOOL, (s) => districts.has(s)),
  ],
});
const celRules = [
  `isDate(app.applicant.birth_date) && isDate(app.submitted_at) ? adult(app.applicant.birth_date, app.submitted_at) : null`,
  `idValid(app.applicant.id_number)`,
  `idBirth(app.applicant.id_number) != null && isDate(app.applicant.birth_date) ? idBirth(app.applicant.id_number) == app.applicant.birth_date : null`,
  `usccValid(app.business.uscc)`,
  `!blacklisted(app.business.uscc)`,
  `district(app.business.district)`,
  `app.business.scope.exists(s, s.contains("预包装食品"))`,
  `app.licences.exists(l, l.type == "business_licence" && l.status == "valid" && isDate(l.expires) && days(l.expires) > days(app.submitted_at) && l.holder == app.business.uscc)`,
  `app.staff.all(s, isDate(s.health_cert_expires) ? days(s.health_cert_expires) > days(app.submitted_at) : false) ? true : (app.staff.exists(s, !isDate(s.health_cert_expires)) ? null : false)`,
  `size(app.staff) >= 1 && size(app.staff) <= 50`,
  `type(app.business.area_m2) == double || type(app.business.area_m2) == int ? app.business.area_m2 >= 10.0 : null`,
  `!has(app.applicant.phone) || app.applicant.phone == null ? true : (type(app.applicant.phone) == string ? app.applicant.phone == "" || app.applicant.phone.matches("^1[3-9][0-9]{9}$") : null)`,
].map((e) => plan(celEnvFs, parse(e)));
function celRulesOf(app) {
  return celRules.map((p) => {
    const r = p({ app });
    return isCelError(r) || r === null ? null : r === true;
  });
}

// ---------------------------------------------------------------- json-logic-engine
const logic = new LogicEngine();
logic.addMethod("isDate", ([s]) => lib.isDate(s));
logic.addMethod("adult", ([b, a]) => lib.adult(b, a));
logic.addMethod("days", ([s]) => lib.days(s));
logic.addMethod("idValid", ([s]) => (typeof s === "string" ? lib.idValid(s) : null));
logic.addMethod("idBirth", ([s]) => (typeof s === "string" ? lib.idBirth(s) : null));
logic.addMethod("usccValid", ([s]) => (typeof s === "string" ? lib.usccValid(s) : null));
logic.addMethod("blacklisted", ([s]) => blacklist.has(s));
logic.addMethod("district", ([s]) => districts.has(s));
logic.addMethod("isString", ([s]) => typeof s === "string");
logic.addMethod("isNumber", ([s]) => typeof s === "number");
logic.addMethod("matchesPhone", ([s]) => /^1[3-9][0-9]{9}$/.test(s));
const v = (p) => ({ var: p });
const unless = (known, rule) => ({ if: [known, rule, null] });
const logicRules = [
  unless({ and: [{ isDate: [v("applicant.birth_date")] }, { isDate: [v("submitted_at")] }] }, { adult: [v("applicant.birth_date"), v("submitted_at")] }),
  { idValid: [v("applicant.id_number")] },
  unless({ and: [{ "!==": [{ idBirth: [v("applicant.id_number")] }, null] }, { isDate: [v("applicant.birth_date")] }] },
         { "===": [{ idBirth: [v("applicant.id_number")] }, v("applicant.birth_date")] }),
  { usccValid: [v("business.uscc")] },
  unless({ isString: [v("business.uscc")] }, { "!": { blacklisted: [v("business.uscc")] } }),
  unless({ isString: [v("business.district")] }, { district: [v("business.district")] }),
  { some: [v("business.scope"), { in: ["预包装食品", v("")] }] },
  { some: [v("licences"), { and: [{ "==": [v("type"), "business_licence"] }, { "==": [v("status"), "valid"] }, { isDate: [v("expires")] },
                                   { ">": [{ days: [v("expires")] }, { days: [{ val: [[-2], "submitted_at"] }] }] },
                                   { "==": [v("holder"), { val: [[-2], "business", "uscc"] }] }] }] },
  { all: [v("staff"), { and: [{ isDate: [v("health_cert_expires")] }, { ">": [{ days: [v("health_cert_expires")] }, { days: [{ val: [[-2], "submitted_at"] }] }] }] }] },
  { and: [{ ">=": [{ length: v("staff") }, 1] }, { "<=": [{ length: v("staff") }, 50] }] },
  unless({ isNumber: [v("business.area_m2")] }, { ">=": [v("business.area_m2"), 10] }),
  { if: [{ "==": [v("applicant.phone"), null] }, true, { isString: [v("applicant.phone")] },
         { or: [{ "==": [v("applicant.phone"), ""] }, { matchesPhone: [v("applicant.phone")] }] }, null] },
].map((r) => logic.build(r));
function logicRulesOf(app) {
  return logicRules.map((f) => {
    const r = f(app);
    return r === null || r === undefined ? null : !!r;
  });
}

// ---------------------------------------------------------------- GoRules ZEN
// A JDM graph: input → one expression node computing each rule (true,
// false or null) → output. ZEN expressions cannot call the host, so the ID
// number and credit code checks and the two table lookups are computed in
// JavaScript and passed in (which only makes ZEN's figure better).
const zenRules = {
  AGE: `applicant.birth_date != null and submitted_at != null and d(applicant.birth_date).isValid() and d(submitted_at).isValid() ? d(applicant.birth_date).add(18, "y").isSameOrBefore(d(submitted_at)) : null`,
  ID_NUMBER: `_.idValid`,
  ID_BIRTH: `_.idBirth != null and applicant.birth_date != null and d(applicant.birth_date).isValid() ? _.idBirth == applicant.birth_date : null`,
  USCC: `_.usccValid`,
  BLACKLIST: `_.blacklisted == null ? null : not _.blacklisted`,
  DISTRICT: `_.district`,
  SCOPE: `business.scope == null ? null : some(business.scope, contains(#, "预包装食品"))`,
  LICENCE: `licences == null ? null : some(licences, #.type == "business_licence" and #.status == "valid" and d(#.expires).isAfter(d(submitted_at)) and #.holder == business.uscc)`,
  HEALTH: `staff == null ? null : all(staff, d(#.health_cert_expires).isAfter(d(submitted_at)))`,
  STAFF_COUNT: `staff == null ? null : len(staff) >= 1 and len(staff) <= 50`,
  AREA: `type(business.area_m2) == "number" ? business.area_m2 >= 10 : null`,
  PHONE: `applicant.phone == null or applicant.phone == "" ? true : (type(applicant.phone) == "string" ? matches(applicant.phone, "^1[3-9][0-9]{9}$") : null)`,
};
const jdm = {
  nodes: [
    { id: "in", type: "inputNode", name: "application", position: { x: 0, y: 0 } },
    { id: "rules", type: "expressionNode", name: "FS-001 rules", position: { x: 300, y: 0 },
      content: { expressions: Object.entries(zenRules).map(([key, value], i) => ({ id: `r${i}`, key, value })) } },
    { id: "out", type: "outputNode", name: "decision", position: { x: 600, y: 0 } },
  ],
  edges: [
    { id: "e1", sourceId: "in", targetId: "rules", type: "edge" },
    { id: "e2", sourceId: "rules", targetId: "out", type: "edge" },
  ],
};
const zen = new ZenEngine();
const zenDecision = zen.createDecision(jdm);
async function zenRulesOf(app) {
  const a = app.applicant ?? {}, b = app.business ?? {};
  const id = str(a.id_number), uscc = str(b.uscc), district = str(b.district);
  app._ = {
    idValid: id === undefined ? null : lib.idValid(id),
    idBirth: id === undefined ? null : lib.idBirth(id),
    usccValid: uscc === undefined ? null : lib.usccValid(uscc),
    blacklisted: uscc === undefined ? null : blacklist.has(uscc),
    district: district === undefined ? null : districts.has(district),
  };
  const { result } = await zenDecision.evaluate(app);
  return lib.RULES.map(([code]) => (result[code] === true ? true : result[code] === false ? false : null));
}

// ---------------------------------------------------------------- run
const peers = [
  ["plain JavaScript", (app) => plainRules(app)],
  ["json-logic-engine 5.0.7", (app) => logicRulesOf(app)],
  ["CEL (@bufbuild/cel 0.6.1)", (app) => celRulesOf(app)],
  ["GoRules ZEN (@gorules/zen-engine 0.54.0)", (app) => zenRulesOf(app)],
];

// miaopi's own records for the same applications: the decisions to agree with.
const records = execFileSync(miaopi, ["batch", pack, appsPath, "--date", DATE, "--threads", "1", "--no-progress"], {
  maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"],
}).toString().split("\n").filter((l) => l).map((l) => JSON.parse(l));
const expected = records.map((r) => ({ decision: r.decision, reasons: r.reasons.map((x) => [x.rule, x.status]) }));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const [name, rulesOf] of peers) {
  let mismatches = 0, example = null;
  const rates = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < texts.length; i++) {
      const app = JSON.parse(texts[i]);
      let results = rulesOf(app);
      if (results instanceof Promise) results = await results;
      const got = lib.decide(results);
      if (run === 0 && (got.decision !== expected[i].decision || JSON.stringify(got.reasons) !== JSON.stringify(expected[i].reasons))) {
        if (++mismatches === 1) example = { line: i + 1, expected: expected[i], got };
      }
    }
    rates.push(texts.length / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  rows.push({ name, rate: median(rates), mismatches, example });
  console.error(`${name}: ${Math.round(median(rates))}/s, ${mismatches} mismatches`);
}
const miaopiRates = [];
for (let run = 0; run < RUNS; run++) {
  const out = spawnSync(miaopi, ["batch", pack, appsPath, "-o", "/dev/null", "--date", DATE, "--threads", "1", "--no-progress"])
      .stderr.toString();
  miaopiRates.push(+out.match(/\(([\d,]+)\/s\)/)[1].replace(/,/g, ""));
}
const m = median(miaopiRates);
console.log(`${texts.length} applications of FS-001, one thread, JSON text → decision, medians of ${RUNS} runs`);
console.log(`| engine | decisions/s | miaopi is … times faster | same decisions as miaopi |`);
console.log(`|---|---:|---:|---|`);
console.log(`| miaopi batch --threads 1 (records written) | ${Math.round(m).toLocaleString("en")} | 1.00 | — |`);
for (const r of rows) {
  console.log(`| ${r.name} | ${Math.round(r.rate).toLocaleString("en")} | ${(m / r.rate).toFixed(2)} | ${r.mismatches === 0 ? `all ${texts.length}` : `${r.mismatches} differ`} |`);
}
const failed = rows.filter((r) => r.mismatches > 0);
for (const r of failed) console.error(`${r.name} differs first on line ${r.example.line}:`, JSON.stringify(r.example));
process.exit(failed.length ? 1 : 0);
