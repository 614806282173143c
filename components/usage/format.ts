// Number formatting for the usage dashboard (server and client alike; no time-zone dependence
// except where a zone is passed in).

const integer = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export function formatInteger(n: number): string {
  return integer.format(n);
}

/** 1234567 → "1.2M" (axis ticks, small print). */
export function formatCompact(n: number): string {
  return compact.format(n);
}

/**
 * Integer micro-dollars as dollars: cents from a cent up ("$1,234.57"), more digits below a
 * cent so small costs do not read as free ("$0.0042"), "$0.00" for nothing.
 */
export function formatUsd(micros: number): string {
  if (micros === 0) return "$0.00";
  const dollars = micros / 1_000_000;
  if (Math.abs(micros) >= 10_000) {
    return dollars.toLocaleString("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }
  return `${micros < 0 ? "-" : ""}$${Math.abs(dollars).toFixed(6).replace(/0{1,2}$/, "")}`;
}

/** Dollar amounts on chart axes, where values are already dollars. */
export function formatUsdAxis(dollars: number): string {
  if (dollars === 0) return "$0";
  if (Math.abs(dollars) >= 1000) return `$${compact.format(dollars)}`;
  if (Math.abs(dollars) >= 1) return `$${dollars.toFixed(dollars % 1 === 0 ? 0 : 2)}`;
  return `$${dollars.toPrecision(2)}`;
}

export function formatPercent(share: number): string {
  if (share > 0 && share < 0.001) return "<0.1%";
  return `${(share * 100).toFixed(1)}%`;
}
