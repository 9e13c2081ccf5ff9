// Lenient-reading vectors for steward-signals (the policy-over-time work): GPP strings a partner may send that
// Steward cannot fully model (newer section versions, values outside the modelled codes,
// unknown sub-section types, sections and ids it does not interpret), each with what the IAB
// reference library @iabgpp/cmpapi makes of it. Steward must decode every string the library
// decodes and forward the sections it cannot model as received.
//
//   (cd crates/steward-signals/tools && npm ci)
//   node crates/steward-signals/tests/vectors/gen-lenient-vectors.mjs \
//     > crates/steward-signals/tests/vectors/lenient_gpp_vectors.json
//
// Deterministic: no randomness, no clock.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = path.resolve(here, "..", "..", "tools", "node_modules", "@iabgpp", "cmpapi");
const { GppModel, HeaderV1, UsCa, UsNat, UsVa, UspV1 } = await import(pathToFileURL(path.join(lib, "lib", "mjs", "index.js")).href);
const libVersion = JSON.parse(readFileSync(path.join(lib, "package.json"), "utf8")).version;

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const toBits = (s) => [...s].map((c) => B64.indexOf(c).toString(2).padStart(6, "0")).join("");
const fromBits = (b) => {
  while (b.length % 6) b += "0";
  let out = "";
  for (let i = 0; i < b.length; i += 6) out += B64[parseInt(b.slice(i, i + 6), 2)];
  return out;
};
/** `segment` with the `width` bits at `offset` replaced by `value`. */
function setBits(segment, offset, width, value) {
  const b = toBits(segment);
  return fromBits(b.slice(0, offset) + value.toString(2).padStart(width, "0") + b.slice(offset + width));
}
function header(ids) {
  const h = new HeaderV1();
  h.setFieldValue("SectionIds", ids);
  return h.encode();
}

// Well-formed sections, encoded by the library.
const ca = new UsCa();
ca.setFieldValue("SaleOptOutNotice", 1);
ca.setFieldValue("SharingOptOutNotice", 1);
ca.setFieldValue("SaleOptOut", 1);
ca.setFieldValue("SharingOptOut", 1);
ca.setFieldValue("MspaCoveredTransaction", 2);
ca.setFieldValue("Gpc", true);
const usca = ca.encode();
const nat = new UsNat();
nat.setFieldValue("SharingNotice", 1);
nat.setFieldValue("SaleOptOutNotice", 1);
nat.setFieldValue("SaleOptOut", 1);
nat.setFieldValue("MspaCoveredTransaction", 2);
const usnat = nat.encode();
const va = new UsVa();
va.setFieldValue("SaleOptOutNotice", 1);
va.setFieldValue("SaleOptOut", 2);
va.setFieldValue("MspaCoveredTransaction", 2);
const usva = va.encode();
const usp = new UspV1();
usp.setFieldValue("Notice", "Y");
usp.setFieldValue("OptOutSale", "Y");
usp.setFieldValue("LspaCovered", "N");
const uspv1 = usp.encode();
const tcf = "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA.YAAAAAAAAAA";

const [caCore] = usca.split(".");
const [natCore] = usnat.split(".");
// Bit offsets in the core segments (Version is the first 6 bits).
const CA = { SaleOptOutNotice: 6, SaleOptOut: 12, MspaCoveredTransaction: 40 };
const NAT = { SharingNotice: 6, SaleOptOut: 18, MspaCoveredTransaction: 64 };

const candidates = [
  // modelled and readable (the control group)
  ["usca as modelled", [8], [usca]],
  ["usnat as modelled", [7], [usnat]],
  // newer section versions
  ["usca version 2", [8], [setBits(caCore, 0, 6, 2) + ".YA"]],
  ["usnat version 3", [7], [setBits(natCore, 0, 6, 3) + ".YA"]],
  ["usnat version 9 beside usca", [7, 8], [setBits(natCore, 0, 6, 9), usca]],
  // values outside the modelled codes
  ["usca SaleOptOutNotice 3", [8], [setBits(caCore, CA.SaleOptOutNotice, 2, 3) + ".YA"]],
  ["usca SaleOptOut 3", [8], [setBits(caCore, CA.SaleOptOut, 2, 3)]],
  ["usca MspaCoveredTransaction 0", [8], [setBits(caCore, CA.MspaCoveredTransaction, 2, 0)]],
  ["usca MspaCoveredTransaction 3", [8], [setBits(caCore, CA.MspaCoveredTransaction, 2, 3)]],
  ["usnat SharingNotice 3", [7], [setBits(natCore, NAT.SharingNotice, 2, 3)]],
  ["usnat SaleOptOut 3", [7], [setBits(natCore, NAT.SaleOptOut, 2, 3) + ".YA"]],
  ["usnat MspaCoveredTransaction 0", [7], [setBits(natCore, NAT.MspaCoveredTransaction, 2, 0)]],
  // inconsistent but codable fields (opted out without notice)
  ["usca opt-out without notice", [8], [setBits(caCore, CA.SaleOptOutNotice, 2, 2)]],
  // sub-sections
  ["usca unknown sub-section type 2", [8], [caCore + ".gA"]],
  ["usca unknown sub-section type 3", [8], [caCore + ".wA"]],
  ["usca gpc sub-section twice", [8], [caCore + ".YA.YA"]],
  ["usnat three sub-sections", [7], [natCore + ".YA.gA"]],
  ["usca longer core", [8], [caCore + "AAAA"]],
  ["usca shorter core", [8], [caCore.slice(0, 4)]],
  // sections Steward does not interpret, and ids nobody registered
  ["uspv1 and usca", [6, 8], [uspv1, usca]],
  ["tcfeuv2 usnat usca", [2, 7, 8], [tcf, usnat, usca]],
  ["usva", [9], [usva]],
  ["usva with a value of 3", [9], [setBits(usva.split(".")[0], 8, 2, 3)]],
  ["unregistered id 30", [30], ["BAAA"]],
  ["unregistered ids 7 99 400", [7, 99, 400], [usnat, "AAAA.AA", "Zm9v"]],
  ["registered but reserved id 4", [4], ["AA"]],
  ["a bare TCF EU v2 string", null, [tcf]],
  // strings the library refuses (Steward need not read them)
  ["section count mismatch", [8], [usca, usca]],
  ["blank section", [7, 8], ["", usca]],
  ["not base64url", [8], ["B$UAAACA"]],
];

const vectors = candidates.map(([name, ids, sections]) => {
  // `null` ids: a bare legacy TCF EU v2 string (no GPP header), which the library reads too.
  const encoded = ids === null ? sections[0] : [header(ids), ...sections].join("~");
  let decoded = null;
  let error = null;
  try {
    const model = new GppModel(encoded);
    decoded = model.toObject();
  } catch (e) {
    error = String(e.message || e).slice(0, 200);
  }
  return {
    name,
    encoded,
    header_ids: ids === null ? [2] : ids,
    sections,
    library_decodes: decoded !== null,
    library_sections: decoded,
    library_error: error,
  };
});

process.stdout.write(
  JSON.stringify(
    {
      generator: "crates/steward-signals/tests/vectors/gen-lenient-vectors.mjs",
      library: "@iabgpp/cmpapi",
      library_version: libVersion,
      note: "library_sections: what GppModel.toObject() reads (null when it throws)",
      vectors,
    },
    null,
    1,
  ) + "\n",
);
