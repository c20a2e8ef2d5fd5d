// Shared by every peer: the FS-001 rules' outcomes, calendar dates, the ID
// number (GB 11643) and credit code (GB 32100) checks, and the tables.
import { readFileSync } from "node:fs";

export const RULES = [
  // code, outcome on failure
  ["AGE", "reject"], ["ID_NUMBER", "reject"], ["ID_BIRTH", "review"], ["USCC", "reject"],
  ["BLACKLIST", "reject"], ["DISTRICT", "reject"], ["SCOPE", "reject"], ["LICENCE", "review"],
  ["HEALTH", "review"], ["STAFF_COUNT", "review"], ["AREA", "review"], ["PHONE", "review"],
];

// The decision from each rule's result: true (pass), false (fail) or null
// (unknown: missing or broken data, which goes to review).
export function decide(results) {
  let decision = "approve";
  const reasons = [];
  const rank = { approve: 0, review: 1, reject: 2 };
  results.forEach((r, i) => {
    if (r === true) return;
    const [code, onFail] = RULES[i];
    const outcome = r === false ? onFail : "review";
    if (rank[outcome] > rank[decision]) decision = outcome;
    reasons.push([code, r === false ? "fail" : "unknown"]);
  });
  return { decision, reasons };
}

export function keysOf(csvPath) {
  const lines = readFileSync(csvPath, "utf8").split("\n").slice(1);
  return new Set(lines.filter((l) => l).map((l) => l.split(",")[0]));
}

// "YYYY-MM-DD" naming a real day → days since 1970-01-01; else null.
export function days(s) {
  if (typeof s !== "string" || !/^\d{4}-\d\d-\d\d$/.test(s)) return null;
  const y = +s.slice(0, 4), m = +s.slice(5, 7), d = +s.slice(8, 10);
  if (m < 1 || m > 12 || d < 1) return null;
  const dim = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (d > dim[m - 1]) return null;
  return Date.UTC(y, m - 1, d) / 86400000;
}
export const isDate = (s) => days(s) !== null;

// birth + 18 years <= at, the day clamped to the month's end (Feb 29 → Feb 28).
export function adult(birth, at) {
  const b = days(birth), a = days(at);
  if (b === null || a === null) return null;
  const y = +birth.slice(0, 4) + 18, m = +birth.slice(5, 7), d = +birth.slice(8, 10);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Date.UTC(y, m - 1, Math.min(d, last)) / 86400000 <= a;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";
// The birth date inside an 18-character ID number, or null.
export function idBirth(s) {
  if (typeof s !== "string" || s.length !== 18 || !/^\d{17}/.test(s)) return null;
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  return isDate(birth) ? birth : null;
}
export function idValid(s) {
  if (idBirth(s) === null) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11] === s[17].toUpperCase();
}

const USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export function usccValid(s) {
  if (typeof s !== "string" || s.length !== 18 || !/^..\d{6}/.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(s[i]);
    if (v < 0) return false;
    sum += v * USCC_WEIGHTS[i];
  }
  const check = USCC_CHARS.indexOf(s[17]);
  return check >= 0 && check === (31 - (sum % 31)) % 31;
}
