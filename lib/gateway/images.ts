import "server-only";
import { getConfig } from "@/lib/config";
import { loadImage } from "@/lib/openai/images";
import type { ChatRequest } from "@/lib/providers/types";

// Image inputs are fetched once by the gateway before a vision model is called: to refuse
// what must not be fetched (private, loopback, link-local addresses unless allowed), too large
// or too slow, or not an image, with a 400 naming the part; and to count the image's tokens
// with OpenAI's rule from its real size.

const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const IMAGE_TIMEOUT_MS = 10_000;
const MAX_IMAGES = 50;

export async function measureImages(request: ChatRequest, signal: AbortSignal): Promise<void> {
  const jobs: { url: string; param: string }[] = [];
  request.messages.forEach((m, i) => {
    if (!Array.isArray(m.content)) return;
    m.content.forEach((part, j) => {
      if (part.type === "image_url") jobs.push({ url: part.image_url.url, param: `messages[${i}].content[${j}].image_url.url` });
    });
  });
  if (!jobs.length) return;
  const allowPrivate = getConfig().ALLOW_PRIVATE_IMAGE_URLS;
  const sizes = new Map<string, { width: number; height: number }>();
  const unique = [...new Map(jobs.map((j) => [j.url, j])).values()].slice(0, MAX_IMAGES);
  await Promise.all(
    unique.map(async (job) => {
      const image = await loadImage(job.url, { allowPrivate, maxBytes: MAX_IMAGE_BYTES, timeoutMs: IMAGE_TIMEOUT_MS, param: job.param, signal });
      sizes.set(job.url, { width: image.width, height: image.height });
    }),
  );
  request.imageSizes = sizes;
}
