// Uploads a training file through the console's files endpoint (the /v1/files pipeline with
// the session), reporting progress as the bytes go out.

export type UploadedFile = { id: string; filename: string; bytes: number; created_at: number; purpose: string };

export type UploadHandle = { promise: Promise<UploadedFile>; abort: () => void };

export function uploadTrainingFile(projectId: string, file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<UploadedFile>((resolve, reject) => {
    const form = new FormData();
    form.append("purpose", "fine-tune");
    form.append("file", file, file.name);
    xhr.open("POST", `/api/projects/${encodeURIComponent(projectId)}/files`);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = xhr.response as (UploadedFile & { error?: { message?: string } }) | null;
      if (xhr.status >= 200 && xhr.status < 300 && body?.id) {
        onProgress(1);
        resolve(body);
      } else {
        reject(new Error(body?.error?.message || `The upload failed (HTTP ${xhr.status}).`));
      }
    };
    xhr.onerror = () => reject(new Error("Could not reach the server. Check your connection and try again."));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled.", "AbortError"));
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
