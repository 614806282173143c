import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatBytes, uploadErrorMessage, uploadProblem } from "@/components/files/format";
import { buildPreview } from "@/components/files/preview";

describe("formatBytes", () => {
  const table: [number, string][] = [
    [0, "0 B"],
    [512, "512 B"],
    [1023, "1023 B"],
    [1024, "1 KB"],
    [1536, "1.5 KB"],
    [1024 * 1023.97, "1 MB"],
    [12.34 * 1024 ** 2, "12.3 MB"],
    [512 * 1024 ** 2, "512 MB"],
    [150.4 * 1024 ** 2, "150 MB"],
    [2.5 * 1024 ** 3, "2.5 GB"],
  ];
  for (const [bytes, text] of table) it(`${bytes} → ${text}`, () => assert.equal(formatBytes(bytes), text));
});

describe("uploadProblem", () => {
  const MB = 1024 ** 2;
  it("refuses files over the limit, naming both sizes", () => {
    assert.equal(uploadProblem({ name: "big.jsonl", size: 600 * MB }, "fine-tune", 512 * MB), "“big.jsonl” is 600 MB. This server accepts files of at most 512 MB.");
  });
  it("gives exact sizes when both round to the same text", () => {
    assert.equal(uploadProblem({ name: "a.bin", size: 512 * MB + 1 }, "user_data", 512 * MB), "“a.bin” is 536,870,913 bytes. This server accepts files of at most 536,870,912 bytes.");
  });
  it("refuses empty files", () => assert.match(uploadProblem({ name: "a.txt", size: 0 }, "user_data", MB)!, /empty/));
  it("wants .jsonl for fine-tuning only", () => {
    assert.match(uploadProblem({ name: "train.csv", size: 10 }, "fine-tune", MB)!, /\.jsonl/);
    assert.equal(uploadProblem({ name: "TRAIN.JSONL", size: 10 }, "fine-tune", MB), null);
    assert.equal(uploadProblem({ name: "notes.csv", size: 10 }, "user_data", MB), null);
  });
});

describe("uploadErrorMessage", () => {
  it("takes OpenAI's error message", () => {
    assert.equal(uploadErrorMessage(400, JSON.stringify({ error: { message: "Bad purpose", type: "invalid_request_error", param: "purpose", code: null } })), "Bad purpose");
  });
  it("describes a status without a JSON body", () => {
    assert.match(uploadErrorMessage(502, "<html>Bad gateway</html>"), /HTTP 502/);
    assert.match(uploadErrorMessage(0, ""), /connection/);
  });
});

describe("buildPreview", () => {
  it("numbers lines, pretty-prints JSON Lines and flags invalid ones", () => {
    const p = buildPreview('{"a":1}\nnot json\n\n{"b":[1,2]}\n', { truncated: false, jsonl: true });
    assert.deepEqual(
      p.lines.map((l) => [l.number, !!l.error, !!l.empty]),
      [
        [1, false, false],
        [2, true, false],
        [3, false, true],
        [4, false, false],
      ],
    );
    assert.equal(p.lines[0].pretty, '{\n  "a": 1\n}');
    assert.equal(p.invalid, 1);
    assert.equal(p.empty, 1);
    assert.equal(p.more, false);
  });
  it("stops at the line limit and says there is more", () => {
    const text = Array.from({ length: 60 }, (_, i) => JSON.stringify({ i })).join("\n");
    const p = buildPreview(text, { truncated: false, jsonl: true, maxLines: 50 });
    assert.equal(p.lines.length, 50);
    assert.equal(p.lines.at(-1)!.number, 50);
    assert.equal(p.more, true);
  });
  it("does not flag the line the preview cut through", () => {
    const p = buildPreview('{"a":1}\n{"b":', { truncated: true, jsonl: true });
    assert.equal(p.invalid, 0);
    assert.equal(p.lines[1].cut, true);
    assert.equal(p.more, true);
  });
  it("shows plain text as it is, CRLF included", () => {
    const p = buildPreview("one\r\ntwo", { truncated: false, jsonl: false });
    assert.deepEqual(p.lines.map((l) => l.text), ["one", "two"]);
    assert.equal(p.lines[0].pretty, undefined);
  });
});
