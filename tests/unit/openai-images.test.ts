import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import zlib from "node:zlib";
import { OpenAIError } from "@/lib/openai/errors";
import { imageDimensions, imageTokens, isPublicAddress, loadImage, MAX_IMAGE_TOKENS } from "@/lib/openai/images";

// Images are built byte by byte here, so the parsers are checked against the formats' own
// layouts rather than against whatever an encoder library happens to emit.

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** A complete, decodable RGB PNG. */
function png(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.alloc(1 + width * 3); // filter byte 0, black pixels
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk("IHDR", ihdr), pngChunk("IDAT", zlib.deflateSync(raw)), pngChunk("IEND", Buffer.alloc(0))]);
}
/** A complete one-colour GIF89a: header, screen, palette, one image with a 2-code LZW stream. */
function gif(width: number, height: number): Buffer {
  const le = (n: number) => [n & 0xff, n >> 8];
  return Buffer.from([
    ...Buffer.from("GIF89a"), ...le(width), ...le(height), 0x80, 0, 0, // global table of 2 colours
    0xff, 0xff, 0xff, 0, 0, 0,
    0x2c, 0, 0, 0, 0, ...le(width), ...le(height), 0, // image descriptor
    0x02, 0x02, 0x44, 0x01, 0x00, // LZW min code size 2, one sub-block, terminator
    0x3b,
  ]);
}
/** A baseline JPEG header: SOI, JFIF APP0, an EXIF-like APP1, fill bytes, DQT, SOF0, SOS, EOI. */
function jpeg(width: number, height: number): Buffer {
  const seg = (marker: number, payload: number[]) => [0xff, marker, ((payload.length + 2) >> 8) & 0xff, (payload.length + 2) & 0xff, ...payload];
  return Buffer.from([
    0xff, 0xd8,
    ...seg(0xe0, [...Buffer.from("JFIF\0"), 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...seg(0xe1, [...Buffer.from("Exif\0\0"), ...new Array(40).fill(0)]),
    0xff, 0xff, // fill bytes before the next marker
    ...seg(0xdb, [0, ...new Array(64).fill(1)]),
    ...seg(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ...seg(0xda, [1, 1, 0, 0, 63, 0]),
    0x00, 0xff, 0xd9,
  ]);
}
function riff(chunk: string, payload: number[]): Buffer {
  const body = Buffer.concat([Buffer.from("WEBP"), Buffer.from(chunk), Buffer.from([payload.length & 0xff, (payload.length >> 8) & 0xff, 0, 0]), Buffer.from(payload)]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(body.length);
  return Buffer.concat([Buffer.from("RIFF"), size, body]);
}
function webpLossless(width: number, height: number): Buffer {
  const bits = (width - 1) | ((height - 1) << 14);
  return riff("VP8L", [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff, 0, 0, 0]);
}
function webpLossy(width: number, height: number): Buffer {
  return riff("VP8 ", [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, width & 0xff, (width >> 8) & 0x3f, height & 0xff, (height >> 8) & 0x3f, 0, 0]);
}
function webpExtended(width: number, height: number): Buffer {
  const w = width - 1;
  const h = height - 1;
  return riff("VP8X", [0x10, 0, 0, 0, w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff, h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]);
}

describe("imageTokens", () => {
  const rows: [number, number, "low" | "high" | "auto", number][] = [
    [1024, 1024, "high", 765], // OpenAI's worked example
    [2048, 4096, "high", 1105], // OpenAI's worked example: 1024×2048, then 768×1536, 6 tiles
    [4096, 8192, "low", 85], // OpenAI's worked example
    [4096, 8192, "auto", 1105],
    [512, 512, "high", 255],
    [513, 512, "high", 425],
    [100, 50, "auto", 255],
    [1536, 1024, "high", 1105], // 1152×768: 3×2 tiles
    [768, 2048, "high", 1445],
  ];
  for (const [w, h, detail, tokens] of rows) {
    it(`${w}×${h} ${detail} → ${tokens}`, () => assert.equal(imageTokens(w, h, detail), tokens));
  }
  it("a very wide image scales to 2048 wide and is not upscaled afterwards", () => assert.equal(imageTokens(10000, 100, "high"), 85 + 170 * 4));
  it("the worst case is what unknown sizes reserve", () => {
    assert.equal(MAX_IMAGE_TOKENS, 1445);
    for (const [w, h] of [[4000, 3000], [2048, 2048], [300, 9000], [1, 1]]) assert.ok(imageTokens(w, h, "high") <= MAX_IMAGE_TOKENS);
  });
});

describe("imageDimensions", () => {
  const rows: [string, Buffer, number, number, string][] = [
    ["PNG", png(300, 200), 300, 200, "image/png"],
    ["GIF", gif(640, 33), 640, 33, "image/gif"],
    ["JPEG with APP segments and fill bytes", jpeg(1920, 1080), 1920, 1080, "image/jpeg"],
    ["lossless WebP", webpLossless(1000, 16383), 1000, 16383, "image/webp"],
    ["lossy WebP", webpLossy(800, 600), 800, 600, "image/webp"],
    ["extended WebP", webpExtended(5000, 70000), 5000, 70000, "image/webp"],
  ];
  for (const [name, bytes, width, height, mimeType] of rows) {
    it(name, () => assert.deepEqual(imageDimensions(new Uint8Array(bytes)), { width, height, mimeType }));
  }
  it("reads a subarray view at an offset", () => {
    const padded = Buffer.concat([Buffer.from([1, 2, 3]), png(7, 9)]);
    assert.deepEqual(imageDimensions(new Uint8Array(padded.buffer, padded.byteOffset + 3, padded.length - 3)), { width: 7, height: 9, mimeType: "image/png" });
  });
  it("refuses other formats and broken headers", () => {
    for (const bytes of [Buffer.from("BM\x36\x00\x00\x00"), Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), png(10, 10).subarray(0, 20), Buffer.from([0xff, 0xd8, 0xff, 0xd9]), Buffer.alloc(0), Buffer.concat([png(0, 10)])]) {
      assert.equal(imageDimensions(new Uint8Array(bytes)), null);
    }
  });
});

describe("isPublicAddress", () => {
  const publicAddresses = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "169.255.0.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"];
  const internal = [
    "0.0.0.0", "10.1.2.3", "100.64.0.1", "100.127.255.255", "127.0.0.1", "127.8.8.8", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.168.1.1", "192.0.2.5",
    "198.18.0.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    "::", "::1", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:7f00:1", "::ffff:a9fe:a9fe", "::127.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::", "2001:0:4136:e378::1",
    "not-an-ip", "1.2.3", "::ffff:999.1.1.1",
  ];
  for (const a of publicAddresses) it(`${a} may be fetched`, () => assert.equal(isPublicAddress(a), true));
  for (const a of internal) it(`${a} may not`, () => assert.equal(isPublicAddress(a), false));
});

function rejectsWith(p: Promise<unknown>, expected: { message: string | RegExp; code: string; param?: string | null }) {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof OpenAIError, `expected an OpenAIError, got ${String(e)}`);
    assert.equal(e.status, 400);
    assert.equal(e.type, "invalid_request_error");
    if (typeof expected.message === "string") assert.equal(e.message, expected.message);
    else assert.match(e.message, expected.message);
    assert.equal(e.code, expected.code);
    if (expected.param !== undefined) assert.equal(e.param, expected.param);
    return true;
  });
}

const LIMITS = { maxBytes: 1_000_000, timeoutMs: 2_000 };
const PARAM = "messages[0].content[1].image_url.url";

describe("loadImage from data URLs", () => {
  it("decodes and measures the image", async () => {
    const image = await loadImage(`data:image/png;base64,${png(64, 48).toString("base64")}`, LIMITS);
    assert.equal(image.width, 64);
    assert.equal(image.height, 48);
    assert.equal(image.mimeType, "image/png");
    assert.deepEqual(Buffer.from(image.bytes), png(64, 48));
  });

  it("trusts the bytes over a wrong MIME label", async () => {
    const image = await loadImage(`data:image/jpeg;base64,${gif(3, 4).toString("base64")}`, LIMITS);
    assert.deepEqual([image.mimeType, image.width, image.height], ["image/gif", 3, 4]);
  });

  it("refuses a data URL over the size limit without decoding it", () =>
    rejectsWith(loadImage(`data:image/png;base64,${png(300, 300).toString("base64")}`, { ...LIMITS, maxBytes: 100, param: PARAM }), {
      message: "Failed to download image from data URL. Image size exceeds the limit.",
      code: "invalid_image",
      param: PARAM,
    }));

  it("refuses bytes that are no supported image", () =>
    rejectsWith(loadImage(`data:image/png;base64,${Buffer.from("definitely not a png").toString("base64")}`, { ...LIMITS, param: PARAM }), {
      message: "You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].",
      code: "invalid_image_format",
      param: PARAM,
    }));

  it("refuses an unsupported MIME type with the param path", () =>
    rejectsWith(loadImage("data:application/pdf;base64,JVBERi0=", { ...LIMITS, param: PARAM }), {
      message: `Invalid image URL: '${PARAM}'. Expected a base64-encoded data URL with an image MIME type (e.g. 'data:image/png;base64,aW1nIGJ5dGVzIGhlcmU='), but got unsupported MIME type 'application/pdf'.`,
      code: "invalid_value",
      param: PARAM,
    }));
});

describe("loadImage refuses internal addresses", () => {
  const refused = [
    "http://127.0.0.1/x.png",
    "http://[::1]/x.png",
    "http://10.0.0.1/x.png",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::ffff:127.0.0.1]/x.png",
    "http://[fd00::1]:8080/x.png",
    "https://192.168.0.10/x.png",
    "http://100.64.1.1/x.png",
    "http://0.0.0.0/x.png",
    "http://2130706433/x.png", // 127.0.0.1 written as one number
    "http://0x7f.1/x.png", // and in hex shorthand
    "http://localhost/x.png", // resolves to loopback
  ];
  for (const url of refused) {
    it(url, () =>
      rejectsWith(loadImage(url, { ...LIMITS, param: PARAM }), {
        message: `Error while downloading ${url}. Image URLs may not point to private, loopback or other internal network addresses.`,
        code: "invalid_image_url",
        param: PARAM,
      }));
  }
});

describe("loadImage over HTTP", () => {
  let server: http.Server;
  let base: string;
  let port: number;
  const hits: string[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const url = req.url ?? "/";
      hits.push(url);
      const redirect = /^\/r\/(\d+)$/.exec(url);
      if (redirect) {
        const left = Number(redirect[1]);
        res.writeHead(302, { location: left === 0 ? "/cat.png" : `/r/${left - 1}` }).end();
      } else if (url === "/cat.png") {
        res.writeHead(200, { "content-type": "image/png" }).end(png(300, 200));
      } else if (url === "/cat.jpg") {
        res.writeHead(200, { "content-type": "image/jpeg" }).end(jpeg(4000, 3000));
      } else if (url === "/big.png") {
        res.writeHead(200, { "content-type": "image/png" }).end(Buffer.concat([png(10, 10), Buffer.alloc(50_000)]));
      } else if (url === "/big-chunked.png") {
        // No content-length: the limit has to be enforced while the body streams in.
        res.writeHead(200, { "content-type": "image/png" });
        res.write(png(10, 10));
        let sent = 0;
        const more = () => {
          if (sent++ < 50 && !res.destroyed) {
            res.write(Buffer.alloc(4096));
            setTimeout(more, 1);
          } else res.end();
        };
        more();
      } else if (url === "/hang.png") {
        res.writeHead(200, { "content-type": "image/png" });
        res.write(png(10, 10).subarray(0, 10)); // then never finish
      } else if (url === "/text") {
        res.writeHead(200, { "content-type": "text/plain" }).end("hello");
      } else if (url === "/to-other-host") {
        res.writeHead(301, { location: `http://127.0.0.2:${port}/cat.png` }).end();
      } else if (url === "/to-ftp") {
        res.writeHead(302, { location: "ftp://example.com/cat.png" }).end();
      } else {
        res.writeHead(404).end("not found");
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
  });

  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("is refused by default even though the server is there", async () => {
    hits.length = 0;
    await rejectsWith(loadImage(`${base}/cat.png`, LIMITS), { message: /Image URLs may not point to private/, code: "invalid_image_url", param: null });
    assert.deepEqual(hits, [], "no connection may be made to a refused address");
  });

  it("downloads and measures an image when private addresses are allowed", async () => {
    const image = await loadImage(`${base}/cat.png`, { ...LIMITS, allowPrivate: true });
    assert.deepEqual([image.mimeType, image.width, image.height], ["image/png", 300, 200]);
    const photo = await loadImage(`${base}/cat.jpg`, { ...LIMITS, allowPrivate: true });
    assert.deepEqual([photo.mimeType, photo.width, photo.height], ["image/jpeg", 4000, 3000]);
  });

  it("follows up to 3 redirects and refuses a 4th", async () => {
    const image = await loadImage(`${base}/r/2`, { ...LIMITS, allowPrivate: true }); // r/2 → r/1 → r/0 → cat.png
    assert.equal(image.width, 300);
    await rejectsWith(loadImage(`${base}/r/3`, { ...LIMITS, allowPrivate: true, param: PARAM }), {
      message: `Error while downloading ${base}/r/3. It redirected more than 3 times.`,
      code: "invalid_image_url",
      param: PARAM,
    });
  });

  it("checks the address again on every redirect", async () => {
    hits.length = 0;
    const onlyThisHost = (address: string) => address === "127.0.0.1";
    assert.equal((await loadImage(`${base}/cat.png`, { ...LIMITS, allowAddress: onlyThisHost })).width, 300);
    await rejectsWith(loadImage(`${base}/to-other-host`, { ...LIMITS, allowAddress: onlyThisHost }), { message: /Image URLs may not point to private/, code: "invalid_image_url" });
    assert.deepEqual(hits, ["/cat.png", "/to-other-host"]);
  });

  it("refuses a redirect to another scheme", () =>
    rejectsWith(loadImage(`${base}/to-ftp`, { ...LIMITS, allowPrivate: true }), { message: /redirected to a URL that is not http or https/, code: "invalid_image_url" }));

  it("enforces the size limit from content-length", () =>
    rejectsWith(loadImage(`${base}/big.png`, { ...LIMITS, maxBytes: 10_000, allowPrivate: true, param: PARAM }), {
      message: `Failed to download image from ${base}/big.png. Image size exceeds the limit.`,
      code: "invalid_image",
      param: PARAM,
    }));

  it("enforces the size limit while streaming", () =>
    rejectsWith(loadImage(`${base}/big-chunked.png`, { ...LIMITS, maxBytes: 20_000, allowPrivate: true }), {
      message: `Failed to download image from ${base}/big-chunked.png. Image size exceeds the limit.`,
      code: "invalid_image",
    }));

  it("accepts a body right at the limit", async () => {
    const size = png(300, 200).length;
    assert.equal((await loadImage(`${base}/cat.png`, { ...LIMITS, maxBytes: size, allowPrivate: true })).height, 200);
  });

  it("gives up at the deadline", async () => {
    const started = Date.now();
    await rejectsWith(loadImage(`${base}/hang.png`, { maxBytes: 1_000_000, timeoutMs: 300, allowPrivate: true, param: PARAM }), {
      message: `Timeout while downloading ${base}/hang.png.`,
      code: "invalid_image_url",
      param: PARAM,
    });
    assert.ok(Date.now() - started < 2_000);
  });

  it("reports HTTP errors and non-images", async () => {
    await rejectsWith(loadImage(`${base}/missing.png`, { ...LIMITS, allowPrivate: true }), {
      message: `Error while downloading ${base}/missing.png. The server answered with status 404.`,
      code: "invalid_image_url",
    });
    await rejectsWith(loadImage(`${base}/text`, { ...LIMITS, allowPrivate: true }), { message: /^You uploaded an unsupported image/, code: "invalid_image_format" });
  });

  it("reports a host that does not resolve", () =>
    rejectsWith(loadImage("http://no-such-host.invalid/cat.png", { ...LIMITS, allowPrivate: true }), {
      message: "Error while downloading http://no-such-host.invalid/cat.png. The host no-such-host.invalid could not be resolved.",
      code: "invalid_image_url",
    }));
});
