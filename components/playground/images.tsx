"use client";

import * as React from "react";
import { Image as ImageIcon, ImagePlus, Link2, Upload, X } from "lucide-react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Tooltip } from "./controls";

// Images for vision models: uploaded or pasted files become data: URLs, links stay URLs.

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("read failed"));
    reader.readAsDataURL(file);
  });
}

/** Data URLs of the image files in `files`; others are refused with a toast. */
export async function imagesFromFiles(files: Iterable<File>): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    if (!file.type.startsWith("image/")) {
      toast.error(`${file.name || "The file"} is not an image.`);
      continue;
    }
    if (file.size > MAX_IMAGE_BYTES) {
      toast.error(`${file.name || "The image"} is larger than 10 MB.`);
      continue;
    }
    try {
      out.push(await readAsDataUrl(file));
    } catch {
      toast.error(`Couldn't read ${file.name || "the image"}.`);
    }
  }
  return out;
}

/** onPaste handler for text boxes: pasted images are attached (when allowed), text pastes as usual. */
export function usePasteImages(enabled: boolean, onImages: (urls: string[]) => void) {
  return React.useCallback(
    (e: React.ClipboardEvent) => {
      const files = [...e.clipboardData.files].filter((f) => f.type.startsWith("image/"));
      if (files.length === 0) return;
      e.preventDefault();
      if (!enabled) {
        toast.error("This model does not accept images.");
        return;
      }
      void imagesFromFiles(files).then((urls) => urls.length && onImages(urls));
    },
    [enabled, onImages],
  );
}

function UrlDialog({ open, onOpenChange, onAdd }: { open: boolean; onOpenChange: (o: boolean) => void; onAdd: (url: string) => void }) {
  const [url, setUrl] = React.useState("");
  const [error, setError] = React.useState<string | null>(null);
  const submit = () => {
    const v = url.trim();
    let ok = false;
    try {
      const u = new URL(v);
      ok = u.protocol === "https:" || u.protocol === "http:" || (u.protocol === "data:" && v.startsWith("data:image/"));
    } catch {
      ok = false;
    }
    if (!ok) {
      setError("Enter an http(s) link to an image, or a data:image/… URL.");
      return;
    }
    onAdd(v);
    setUrl("");
    setError(null);
    onOpenChange(false);
  };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <form
          className="grid grid-cols-1 gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <DialogHeader>
            <DialogTitle>Add an image by URL</DialogTitle>
            <DialogDescription>The model&apos;s provider downloads the image when the message is sent.</DialogDescription>
          </DialogHeader>
          <div className="grid grid-cols-1 gap-2">
            <Label htmlFor="image-url">Image URL</Label>
            <Input
              id="image-url"
              value={url}
              onChange={(e) => {
                setUrl(e.target.value);
                setError(null);
              }}
              placeholder="https://example.com/photo.jpg"
              aria-invalid={!!error || undefined}
              data-testid="image-url-input"
              autoFocus
            />
            <FieldError errors={error} />
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" data-testid="image-url-add">
              Add image
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** The attach control: upload or URL; disabled with the reason for models without vision. */
export function AttachImageButton({
  enabled,
  disabledReason,
  onAdd,
  testId = "attach-image",
}: {
  enabled: boolean;
  disabledReason: string;
  onAdd: (urls: string[]) => void;
  testId?: string;
}) {
  const fileRef = React.useRef<HTMLInputElement>(null);
  const [urlOpen, setUrlOpen] = React.useState(false);
  if (!enabled) {
    return (
      <Tooltip content={disabledReason} focusable>
        <Button variant="ghost" size="icon-sm" disabled aria-label="Attach image" data-testid={testId}>
          <ImagePlus aria-hidden="true" />
        </Button>
      </Tooltip>
    );
  }
  return (
    <>
      <input
        ref={fileRef}
        type="file"
        accept="image/*"
        multiple
        hidden
        data-testid={`${testId}-file`}
        onChange={async (e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = "";
          const urls = await imagesFromFiles(files);
          if (urls.length) onAdd(urls);
        }}
      />
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="ghost" size="icon-sm" aria-label="Attach image" title="Attach image" data-testid={testId}>
            <ImagePlus aria-hidden="true" />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start">
          <DropdownMenuItem onSelect={() => fileRef.current?.click()} data-testid={`${testId}-upload`}>
            <Upload aria-hidden="true" />
            Upload image…
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setUrlOpen(true)} data-testid={`${testId}-url`}>
            <Link2 aria-hidden="true" />
            Image URL…
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <UrlDialog open={urlOpen} onOpenChange={setUrlOpen} onAdd={(url) => onAdd([url])} />
    </>
  );
}

function Thumbnail({ src, index, onRemove }: { src: string; index: number; onRemove?: (index: number) => void }) {
  // A URL the browser cannot load may still work for the provider: keep it, show its host.
  const [broken, setBroken] = React.useState(false);
  let label = "image";
  try {
    label = src.startsWith("data:") ? "image" : new URL(src).host;
  } catch {
    // keep the generic label
  }
  return (
    <li className="relative size-16 overflow-hidden rounded-md border bg-muted" title={src.startsWith("data:") ? undefined : src}>
      {broken ? (
        <span className="flex size-full flex-col items-center justify-center gap-0.5 p-1 text-center text-[10px] leading-tight text-muted-foreground">
          <ImageIcon className="size-4" aria-hidden="true" />
          <span className="w-full truncate">{label}</span>
        </span>
      ) : (
        // A user-chosen image or data: URL: next/image's optimizer cannot handle either.
        // eslint-disable-next-line @next/next/no-img-element
        <img
          src={src}
          alt={`Attached image ${index + 1}`}
          className="size-full object-cover text-[0px]"
          onError={() => setBroken(true)}
          data-testid="message-image"
        />
      )}
      {onRemove && (
        <button
          type="button"
          onClick={() => onRemove(index)}
          aria-label={`Remove image ${index + 1}`}
          className="absolute top-0.5 right-0.5 inline-flex size-5 items-center justify-center rounded-full bg-background/90 text-foreground shadow-sm outline-none hover:bg-background focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          <X className="size-3" aria-hidden="true" />
        </button>
      )}
    </li>
  );
}

export function ImageThumbnails({ images, onRemove }: { images: string[]; onRemove?: (index: number) => void }) {
  if (images.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-2" data-testid="message-images">
      {images.map((src, i) => (
        <Thumbnail key={`${i}-${src.slice(0, 64)}`} src={src} index={i} onRemove={onRemove} />
      ))}
    </ul>
  );
}
