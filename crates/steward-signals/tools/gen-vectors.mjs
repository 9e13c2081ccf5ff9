// Generates IAB GPP test vectors for steward-signals with the IAB reference
// library @iabgpp/cmpapi. Output (JSON) goes to stdout:
//
//   cd crates/steward-signals/tools && npm ci && npm run gen
//
// (`npm run gen` writes ../tests/vectors/iab_gpp_vectors.json.)
//
// Everything is deterministic: the "random" field combinations come from a
// seeded PRNG, so re-running with the same library version gives the same file.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { GppModel, HeaderV1, UsCa, UsNat } from "@iabgpp/cmpapi";

const require = createRequire(import.meta.url);
const libPkgPath = require.resolve("@iabgpp/cmpapi").replace(/lib[\\/]cjs[\\/]index\.js$/, "package.json");
const libVersion = JSON.parse(readFileSync(libPkgPath, "utf8")).version;

// mulberry32: small seeded PRNG.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(0x5eed);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const tri = () => pick([0, 1, 2]);
const triList = (n) => Array.from({ length: n }, tri);

// ---------------------------------------------------------------- header
function encodeHeader(ids) {
  const h = new HeaderV1();
  h.setFieldValue("SectionIds", ids);
  return h.encode();
}
function decodeHeader(s) {
  const h = new HeaderV1(s);
  return h.getFieldValue("SectionIds");
}

const headerIdSets = [
  [], [2], [6], [7], [8], [2, 6], [6, 7], [7, 8], [6, 7, 8], [2, 7, 8], [1, 2, 3, 4, 5],
  [5, 7, 9, 11], [2, 6, 7, 8, 9, 10, 11, 12], [7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18],
  [27], [1, 27], [100], [1000], [4000], [3, 27, 100], [8, 9, 10, 20, 21, 30],
];
for (let i = 0; i < 40; i++) {
  const ids = [];
  for (let id = 1; id <= 40; id++) if (rand() < 0.2) ids.push(id);
  headerIdSets.push(ids);
}
const header = headerIdSets.map((ids) => {
  const encoded = encodeHeader(ids);
  const roundTrip = decodeHeader(encoded);
  if (JSON.stringify(roundTrip) !== JSON.stringify(ids)) {
    throw new Error(`header round trip failed for ${ids}`);
  }
  return { section_ids: ids, encoded };
});

// ---------------------------------------------------------------- sections
// Field combinations that satisfy GPP-08 (a notice other than "provided" forces
// the matching opt-out to 0; for usca, SensitiveDataLimitUseNotice 0 forces every
// SensitiveDataProcessing entry to 0). The library itself does not check this.
function optOutFor(notice) {
  return notice === 1 ? tri() : 0;
}
function randomUsCa({ consistent }) {
  const f = {
    SaleOptOutNotice: tri(),
    SharingOptOutNotice: tri(),
    SensitiveDataLimitUseNotice: tri(),
    PersonalDataConsents: tri(),
    KnownChildSensitiveDataConsents: triList(2),
    MspaCoveredTransaction: pick([1, 2]),
    MspaOptOutOptionMode: tri(),
    MspaServiceProviderMode: tri(),
  };
  if (consistent) {
    f.SaleOptOut = optOutFor(f.SaleOptOutNotice);
    f.SharingOptOut = optOutFor(f.SharingOptOutNotice);
    f.SensitiveDataProcessing = f.SensitiveDataLimitUseNotice === 0 ? Array(9).fill(0) : triList(9);
  } else {
    f.SaleOptOut = tri();
    f.SharingOptOut = tri();
    f.SensitiveDataProcessing = triList(9);
  }
  return f;
}
function randomUsNat({ consistent, version }) {
  const f = {
    Version: version,
    SharingNotice: tri(),
    SaleOptOutNotice: tri(),
    SharingOptOutNotice: tri(),
    TargetedAdvertisingOptOutNotice: tri(),
    SensitiveDataProcessingOptOutNotice: tri(),
    SensitiveDataLimitUseNotice: tri(),
    SensitiveDataProcessing: version === 1 ? triList(12) : triList(16),
    KnownChildSensitiveDataConsents: version === 1 ? triList(2) : triList(3),
    PersonalDataConsents: tri(),
    MspaCoveredTransaction: pick([1, 2]),
    MspaOptOutOptionMode: tri(),
    MspaServiceProviderMode: tri(),
  };
  if (consistent) {
    f.SaleOptOut = optOutFor(f.SaleOptOutNotice);
    f.SharingOptOut = optOutFor(f.SharingOptOutNotice);
    f.TargetedAdvertisingOptOut = optOutFor(f.TargetedAdvertisingOptOutNotice);
  } else {
    f.SaleOptOut = tri();
    f.SharingOptOut = tri();
    f.TargetedAdvertisingOptOut = tri();
  }
  return f;
}

function buildSection(name, fields, gpc) {
  const model = new GppModel();
  // Version first: the usnat encoder's layout depends on it.
  const order = Object.keys(fields).sort((a, b) => (a === "Version" ? -1 : b === "Version" ? 1 : 0));
  for (const k of order) model.setFieldValue(name, k, fields[k]);
  if (gpc === null) {
    model.setFieldValue(name, "GpcSegmentIncluded", false);
  } else {
    model.setFieldValue(name, "GpcSegmentIncluded", true);
    model.setFieldValue(name, "Gpc", gpc);
  }
  const gpp = model.encode();
  const section = model.encodeSection(name);
  return { gpp, section };
}

function sectionObj(name, encodedSection) {
  const s = name === "usca" ? new UsCa(encodedSection) : new UsNat(encodedSection);
  return s.toObj();
}

function encodeVectors(name, make, count) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const fields = make(i);
    const gpc = pick([null, false, true]);
    const { gpp, section } = buildSection(name, fields, gpc);
    out.push({ fields, gpc, section, gpp });
  }
  return out;
}

const uscaEncode = encodeVectors("usca", () => randomUsCa({ consistent: true }), 150);
const usnatEncode = [
  ...encodeVectors("usnat", () => randomUsNat({ consistent: true, version: 2 }), 150),
  ...encodeVectors("usnat", () => randomUsNat({ consistent: true, version: 1 }), 50),
];

// Named combinations the engine's GPP-07 mapping produces (plus the library's
// own defaults), so the spec strings are checked against the library too.
const named = [];
function addNamed(label, name, fields, gpc) {
  const { gpp, section } = buildSection(name, fields, gpc);
  named.push({ label, section_name: name, fields, gpc, section, gpp });
}
const caBase = {
  SaleOptOutNotice: 1, SharingOptOutNotice: 1, SensitiveDataLimitUseNotice: 0,
  SensitiveDataProcessing: Array(9).fill(0), KnownChildSensitiveDataConsents: [0, 0],
  PersonalDataConsents: 0, MspaCoveredTransaction: 2, MspaOptOutOptionMode: 0, MspaServiceProviderMode: 0,
};
addNamed("gpp_07 ca opted out via gpc", "usca", { ...caBase, SaleOptOut: 1, SharingOptOut: 1 }, true);
addNamed("gpp_07 ca not opted out, gpc false", "usca", { ...caBase, SaleOptOut: 2, SharingOptOut: 2 }, false);
addNamed("gpp_07 ca opted out via dns form, no gpc", "usca", { ...caBase, SaleOptOut: 1, SharingOptOut: 1 }, false);
addNamed("gpp_07 ca known 15-year-old, no authorization", "usca",
  { ...caBase, SaleOptOut: 1, SharingOptOut: 1, KnownChildSensitiveDataConsents: [1, 1] }, false);
addNamed("gpp_07 ca opted out, mspa covered", "usca", { ...caBase, SaleOptOut: 1, SharingOptOut: 1, MspaCoveredTransaction: 1 }, true);
addNamed("gpp_07 ca core only", "usca", { ...caBase, SaleOptOut: 1, SharingOptOut: 1 }, null);
addNamed("usca all not applicable, mspa no", "usca",
  { ...caBase, SaleOptOutNotice: 0, SharingOptOutNotice: 0, SaleOptOut: 0, SharingOptOut: 0 }, false);
const natBase = {
  SharingNotice: 1, SaleOptOutNotice: 1, SharingOptOutNotice: 1, TargetedAdvertisingOptOutNotice: 1,
  SensitiveDataProcessingOptOutNotice: 0, SensitiveDataLimitUseNotice: 0,
  SensitiveDataProcessing: Array(16).fill(0), KnownChildSensitiveDataConsents: [0, 0, 0],
  PersonalDataConsents: 0, MspaCoveredTransaction: 2, MspaOptOutOptionMode: 0, MspaServiceProviderMode: 0,
};
addNamed("usnat national opted out via gpc", "usnat",
  { ...natBase, SaleOptOut: 1, SharingOptOut: 1, TargetedAdvertisingOptOut: 1 }, true);
addNamed("usnat national not opted out", "usnat",
  { ...natBase, SaleOptOut: 2, SharingOptOut: 2, TargetedAdvertisingOptOut: 2 }, false);
addNamed("usnat national known 12-year-old, no authorization", "usnat",
  { ...natBase, SaleOptOut: 1, SharingOptOut: 1, TargetedAdvertisingOptOut: 1, KnownChildSensitiveDataConsents: [0, 1, 0] }, false);
addNamed("usnat national known 15-year-old, no authorization", "usnat",
  { ...natBase, SaleOptOut: 1, SharingOptOut: 1, TargetedAdvertisingOptOut: 1, KnownChildSensitiveDataConsents: [1, 0, 0] }, false);

// Both sections in one string (header range-encodes [7, 8]).
const both = (() => {
  const model = new GppModel();
  for (const [k, v] of Object.entries({ ...natBase, SaleOptOut: 1, SharingOptOut: 1, TargetedAdvertisingOptOut: 1 })) {
    model.setFieldValue("usnat", k, v);
  }
  model.setFieldValue("usnat", "Gpc", true);
  for (const [k, v] of Object.entries({ ...caBase, SaleOptOut: 1, SharingOptOut: 1 })) model.setFieldValue("usca", k, v);
  model.setFieldValue("usca", "Gpc", true);
  return { label: "usnat and usca, both opted out via gpc", gpp: model.encode() };
})();

// ---------------------------------------------------------------- decoding
// Strings decoded by the library: the spec's and iabgpp-rs's vectors, the
// 6-bit-padded variants, and strings the library built from field values that
// break GPP-08 (a decoder must still read them field for field).
const headerDecode = ["DBABMA", "DBACNYA", "DBABBg", "DBABLA", "DBABTA", "DBABL", "DBAA", "DBABzw", "DBABrw"].map(
  (encoded) => ({ encoded, section_ids: decodeHeader(encoded) }),
);
const decodeInputs = [
  "DBABBg~BVqqqqpY.YA", "DBABBg~BVVVVVVY", "DBABBg~BAAAAACA", "DBABBg~BUUAAACA.YA",
  "DBABBg~BUoAAACA.QA", "DBABBg~BUUAAACA.QA", "DBABBg~BUUAABSA.QA", "DBABBg~BUUAAACA",
  "DBABBg~BUUAAABA.YA", "DBABBg~BAAAAACA.QA",
  "DBABLA~BVVVVVVVVWA.YA", "DBABLA~BVVVVVVVVWA", "DBABLA~BAAAAAAAAQA", "DBABLA~CAAAAAAAAAWA.Q",
  both.gpp,
];
for (let i = 0; i < 40; i++) {
  decodeInputs.push(buildSection("usca", randomUsCa({ consistent: false }), pick([null, false, true])).gpp);
}
for (let i = 0; i < 40; i++) {
  const version = i % 4 === 0 ? 1 : 2;
  decodeInputs.push(buildSection("usnat", randomUsNat({ consistent: false, version }), pick([null, false, true])).gpp);
}
const decode = decodeInputs.map((gpp) => {
  const model = new GppModel(gpp);
  const parts = gpp.split("~");
  const sectionIds = decodeHeader(parts[0]);
  const sections = {};
  sectionIds.forEach((id, i) => {
    if (id === 7) sections.usnat = sectionObj("usnat", parts[i + 1]);
    if (id === 8) sections.usca = sectionObj("usca", parts[i + 1]);
  });
  // Cross-check the model agrees with the per-section decode.
  for (const name of Object.keys(sections)) {
    const viaModel = model.getSection(name);
    if (JSON.stringify(viaModel) !== JSON.stringify(sections[name])) {
      throw new Error(`model and section decode disagree for ${gpp}`);
    }
  }
  return { gpp, section_ids: sectionIds, sections };
});

// Strings the library refuses to build: MspaCoveredTransaction=0 (GPP-07 note).
const rejects = [];
try {
  new GppModel().setFieldValue("usca", "MspaCoveredTransaction", 0);
  rejects.push({ what: "usca MspaCoveredTransaction=0", rejected: false });
} catch (e) {
  rejects.push({ what: "usca MspaCoveredTransaction=0", rejected: true, error: String(e.message || e) });
}

const out = {
  generator: "crates/steward-signals/tools/gen-vectors.mjs",
  library: "@iabgpp/cmpapi",
  library_version: libVersion,
  node_version: process.version,
  note: "fields use the library's names and integer codes; gpc null means no GPC sub-section",
  header,
  header_decode: headerDecode,
  usca_encode: uscaEncode,
  usnat_encode: usnatEncode,
  named,
  both_sections: both,
  decode,
  library_rejects: rejects,
};
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
