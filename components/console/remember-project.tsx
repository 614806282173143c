"use client";

import { useEffect } from "react";

/** Remembers the project in view, so the next visit to "/" lands back in it. */
export function RememberProject({ projectId }: { projectId: string }) {
  useEffect(() => {
    document.cookie = `gh_project=${encodeURIComponent(projectId)}; path=/; max-age=${60 * 60 * 24 * 365}; samesite=lax`;
  }, [projectId]);
  return null;
}
