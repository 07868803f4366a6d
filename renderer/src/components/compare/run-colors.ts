// One colour per compared run, the same in the header, the table, every chart and the
// report; chosen apart from the node colours' first entries so a run never reads as a node.
export const RUN_COLORS = ['#2563eb', '#e11d48', '#059669', '#d97706'] as const;

export function runColor(index: number): string {
  return RUN_COLORS[index % RUN_COLORS.length];
}
