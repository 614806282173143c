// The dashboard's chart colors as CSS variables, each with a light and a dark value (the
// theme tokens have no chart colors). Applied on the page's wrapper so the charts, their
// legends and the table's swatches share them; mid-lightness hues that read on both themes.
export const USAGE_PALETTE = [
  "[--usage-chart-1:oklch(0.58_0.16_255)] dark:[--usage-chart-1:oklch(0.7_0.14_255)]",
  "[--usage-chart-2:oklch(0.6_0.11_175)] dark:[--usage-chart-2:oklch(0.74_0.11_175)]",
  "[--usage-chart-3:oklch(0.72_0.15_75)] dark:[--usage-chart-3:oklch(0.8_0.14_80)]",
  "[--usage-chart-4:oklch(0.56_0.18_300)] dark:[--usage-chart-4:oklch(0.7_0.15_300)]",
  "[--usage-chart-5:oklch(0.62_0.19_20)] dark:[--usage-chart-5:oklch(0.71_0.17_20)]",
  "[--usage-chart-6:oklch(0.62_0.15_145)] dark:[--usage-chart-6:oklch(0.75_0.15_145)]",
  "[--usage-chart-7:oklch(0.68_0.1_220)] dark:[--usage-chart-7:oklch(0.8_0.09_220)]",
  "[--usage-chart-8:oklch(0.66_0.16_45)] dark:[--usage-chart-8:oklch(0.76_0.14_50)]",
  "[--usage-chart-other:oklch(0.75_0.01_286)] dark:[--usage-chart-other:oklch(0.48_0.01_286)]",
  "[--usage-input:oklch(0.58_0.16_255)] dark:[--usage-input:oklch(0.7_0.14_255)]",
  "[--usage-output:oklch(0.6_0.11_175)] dark:[--usage-output:oklch(0.74_0.11_175)]",
  "[--usage-requests:oklch(0.45_0.02_286)] dark:[--usage-requests:oklch(0.78_0.01_286)]",
].join(" ");
