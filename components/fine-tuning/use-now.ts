"use client";

import * as React from "react";

const never = () => () => {};
const everySecond = (tick: () => void) => {
  const t = setInterval(tick, 1000);
  return () => clearInterval(t);
};
const currentSecond = () => Math.floor(Date.now() / 1000) * 1000;
const onServer = () => null;

/**
 * The current time to the second, ticking while `live`; null on the server and during
 * hydration, so relative times ("2m ago", ETAs) never differ between the two renders.
 */
export function useNow(live: boolean): number | null {
  return React.useSyncExternalStore(live ? everySecond : never, currentSecond, onServer);
}
