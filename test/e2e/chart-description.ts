// Reads the data back out of the description ECharts writes into a chart's aria-label
// ("… The 1 series is a Line chart representing n2.The first 10 items are: 0.43, 0.04, …").
// It lists each series' first items, which is enough to prove data reached the chart.

interface SeriesText {
  name: string;
  data: string;
}

function seriesTexts(description: string): SeriesText[] {
  // One series: "… with type bar chart named operations.The data is as follows: …"; several: "The 1 series is a … representing n2.…".
  const parts = description.split(/The \d+ series is an? [^.]*? representing | with type [^.]*? named /).slice(1);
  return parts.map((part) => {
    const split = part.match(/^(.*?)\.The (?:first \d+ items are|data is as follows): ?([\s\S]*)$/);
    return split ? { name: split[1], data: split[2] } : { name: part, data: '' };
  });
}

/** The numbers of the named series, in order (x and y interleaved for xy data). */
export function seriesValues(description: string, series: string): number[] {
  const found = seriesTexts(description).find((s) => s.name === series);
  if (!found) return [];
  const withoutLabels = found.data.replace(/the data for .*? is /g, '');
  return (withoutLabels.match(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g) ?? []).map(Number);
}

/** The names of the series that carry at least one number. */
export function seriesWithData(description: string): string[] {
  return seriesTexts(description)
    .filter((s) => seriesValues(description, s.name).length > 0)
    .map((s) => s.name);
}
