// warcio-check.mjs reads WARC files with the warcio npm package
// (Webrecorder's JavaScript WARC library, what ReplayWeb.page reads with)
// and checks every record: the block is Content-Length bytes, and its
// WARC-Block-Digest and WARC-Payload-Digest match SHA-256 (or SHA-1) of
// the bytes, computed here with node:crypto (warcio parses but does not
// verify digests). Request and response blocks are also parsed as HTTP by
// warcio, and the payload warcio finds after the HTTP header must match
// WARC-Payload-Digest as well.
//
//   node warcio-check.mjs <npm prefix holding warcio> file.warc.gz...
//
// It prints one JSON line per file (records with type, id, offset and
// length as warcio counts them) and exits 1 on the first problem, 2 on a
// usage or load error.
import { createReadStream, statSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";

const [prefix, ...files] = process.argv.slice(2);
if (!prefix || files.length === 0) {
  console.error("usage: node warcio-check.mjs <npm prefix> file.warc.gz...");
  process.exit(2);
}
let WARCParser;
try {
  ({ WARCParser } = createRequire(join(prefix, "package.json"))("warcio"));
} catch (e) {
  console.error(`cannot load warcio from ${prefix}: ${e.message}`);
  process.exit(2);
}

const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(buf) {
  let bits = 0, value = 0, out = "";
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

// digestMatches compares a WARC digest field with the bytes; base16 and
// base32 values are both understood, as the WARC community allows.
function digestMatches(field, bytes) {
  const i = field.indexOf(":");
  if (i < 0) throw new Error(`digest ${field} has no algorithm`);
  const alg = field.slice(0, i).toLowerCase().replace("-", "");
  const value = field.slice(i + 1);
  if (alg !== "sha256" && alg !== "sha1") throw new Error(`unsupported digest algorithm in ${field}`);
  const sum = createHash(alg).update(bytes).digest();
  if (/^[0-9a-fA-F]+$/.test(value) && value.length === sum.length * 2) {
    return value.toLowerCase() === sum.toString("hex");
  }
  return value.replace(/=+$/, "").toUpperCase() === base32(sum);
}

class Problem extends Error {}

function check(cond, msg) {
  if (!cond) throw new Problem(msg);
}

async function rawPass(file) {
  const parser = new WARCParser(createReadStream(file), { parseHttp: false });
  const records = [];
  for await (const record of parser) {
    const type = record.warcType;
    const id = record.warcHeader("WARC-Record-ID");
    const where = `${file}: ${type} record ${id} at offset ${parser.offset}`;
    const block = await record.readFully(false);
    check(block.length === record.warcContentLength,
      `${where}: block of ${block.length} bytes, Content-Length ${record.warcContentLength}`);
    const bd = record.warcBlockDigest;
    check(bd, `${where}: no WARC-Block-Digest`);
    check(digestMatches(bd, block), `${where}: WARC-Block-Digest ${bd} does not match the block`);
    if (type === "request" || type === "response") {
      const end = Buffer.from(block).indexOf("\r\n\r\n");
      check(end >= 0, `${where}: no end of HTTP header`);
      const pd = record.warcPayloadDigest;
      check(pd, `${where}: no WARC-Payload-Digest`);
      check(digestMatches(pd, block.subarray(end + 4)), `${where}: WARC-Payload-Digest ${pd} does not match the payload`);
    }
    records.push({ type, id, offset: parser.offset, length: parser.recordLength });
  }
  return records;
}

async function httpPass(file) {
  const parser = new WARCParser(createReadStream(file), { parseHttp: true });
  let n = 0;
  for await (const record of parser) {
    n++;
    const type = record.warcType;
    if (type !== "request" && type !== "response") continue;
    const where = `${file}: ${type} record ${record.warcHeader("WARC-Record-ID")} (parsed as HTTP)`;
    check(record.httpHeaders, `${where}: warcio found no HTTP header`);
    if (type === "response") {
      check(Number.isInteger(record.httpHeaders.statusCode), `${where}: no status code`);
    }
    const payload = await record.readFully(false);
    check(digestMatches(record.warcPayloadDigest, payload),
      `${where}: the payload warcio read does not match WARC-Payload-Digest`);
  }
  return n;
}

for (const file of files) {
  try {
    const records = await rawPass(file);
    const n = await httpPass(file);
    check(n === records.length, `${file}: ${records.length} records read raw, ${n} as HTTP`);
    check(records.length > 0, `${file}: no records`);
    // warcio stops quietly at a cut gzip member: the records read must
    // follow each other and end where the file ends.
    let end = 0;
    for (const r of records) {
      check(r.offset === end, `${file}: ${r.type} record ${r.id} at offset ${r.offset}, the one before ends at ${end}`);
      end = r.offset + r.length;
    }
    const size = statSync(file).size;
    check(end === size, `${file}: the records warcio read end at offset ${end}, the file at ${size}: a cut or unreadable tail`);
    console.log(JSON.stringify({ file, records }));
  } catch (e) {
    console.error(e instanceof Problem ? e.message : `${file}: ${e.stack || e}`);
    process.exit(1);
  }
}
