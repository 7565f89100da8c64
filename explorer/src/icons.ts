// Small inline SVG icons: shapes that tell stances and marks apart without colour.

const SVG = "http://www.w3.org/2000/svg";

type Shape = [tag: "path" | "circle" | "rect", attrs: Record<string, string | number>];

const STROKE = { fill: "none", stroke: "currentColor", "stroke-width": 1.6, "stroke-linecap": "round", "stroke-linejoin": "round" };
const FILL = { fill: "currentColor" };

const SHAPES: Record<string, Shape[]> = {
  // a flag on a pole: carries our flag
  champion: [["path", { d: "M3.5 14.5V1.8M3.5 2.2h8.8l-2 3.1 2 3.1H3.5", ...STROKE }], ["path", { d: "M3.5 2.2h8.8l-2 3.1 2 3.1H3.5z", ...FILL, opacity: 0.85 }]],
  // a plus in a circle: leans our way
  supporter: [["circle", { cx: 8, cy: 8, r: 6.2, ...STROKE }], ["path", { d: "M8 4.8v6.4M4.8 8h6.4", ...STROKE }]],
  // an equals sign in a circle: undecided
  neutral: [["circle", { cx: 8, cy: 8, r: 6.2, ...STROKE }], ["path", { d: "M5 6.7h6M5 9.3h6", ...STROKE }]],
  // a question mark in a dashed circle: nobody knows yet
  unknown: [
    ["circle", { cx: 8, cy: 8, r: 6.2, ...STROKE, "stroke-dasharray": "2.2 1.6" }],
    ["path", { d: "M6.1 6.3a1.9 1.9 0 1 1 2.7 1.7c-.5.3-.8.7-.8 1.3v.4", ...STROKE }],
    ["circle", { cx: 8, cy: 11.6, r: 0.9, ...FILL }],
  ],
  // a warning triangle: has doubts
  skeptic: [["path", { d: "M8 1.8 14.6 13.8H1.4z", ...STROKE }], ["path", { d: "M8 6v3.6", ...STROKE }], ["circle", { cx: 8, cy: 11.7, r: 0.9, ...FILL }]],
  // a stop sign: blocks
  blocker: [
    ["path", { d: "M5.4 1.5h5.2l3.9 3.9v5.2l-3.9 3.9H5.4l-3.9-3.9V5.4z", ...FILL }],
    ["path", { d: "M5.6 5.6l4.8 4.8M10.4 5.6l-4.8 4.8", fill: "none", stroke: "#ffffff", "stroke-width": 1.8, "stroke-linecap": "round" }],
  ],
  // a dashed ring: not on this committee
  unseated: [["circle", { cx: 8, cy: 8, r: 6, ...STROKE, "stroke-dasharray": "1.5 2" }]],
  // a star: an approver
  approver: [["path", { d: "M8 1.2l2.05 4.3 4.7.6-3.45 3.25.88 4.65L8 11.75 3.82 14l.88-4.65L1.25 6.1l4.7-.6z", ...FILL }]],
  // alternatives
  ours: [["path", { d: "M3 8.5l3.2 3.2L13 4.8", ...STROKE, "stroke-width": 2.2 }]],
  competitor: [["path", { d: "M8 1.5 14.5 8 8 14.5 1.5 8z", ...FILL }]],
  status_quo: [["rect", { x: 3, y: 3, width: 10, height: 10, rx: 1.5, ...STROKE, "stroke-width": 2 }]],
  build: [["path", { d: "M10.8 1.8a3.6 3.6 0 0 0-3.9 4.7L1.9 11.5a1.5 1.5 0 0 0 2.1 2.1l5-5a3.6 3.6 0 0 0 4.7-3.9l-2.1 2.1-2-.5-.5-2z", ...FILL }]],
  // the champion test: a tick in a disc (passes), a speech bubble (informs), arrows pulling
  // apart (carries two flags), a dot cut off by a broken ring (reaches nobody who decides)
  "verdict-champion": [["circle", { cx: 8, cy: 8, r: 7, ...FILL }], ["path", { d: "M4.6 8.3l2.3 2.3 4.5-4.9", fill: "none", stroke: "#ffffff", "stroke-width": 1.9, "stroke-linecap": "round", "stroke-linejoin": "round" }]],
  "verdict-coach": [["path", { d: "M2 3.2h12v7.6H7.2L4 13.6v-2.8H2z", ...STROKE }], ["path", { d: "M5 6h6M5 8.2h4", ...STROKE }]],
  "verdict-conflicted": [["path", { d: "M1.8 5.2h10.4M9.6 2.6l2.6 2.6-2.6 2.6M14.2 10.8H3.8M6.4 8.2l-2.6 2.6 2.6 2.6", ...STROKE }]],
  "verdict-isolated": [["circle", { cx: 8, cy: 8, r: 2.2, ...FILL }], ["path", { d: "M8 1.8a6.2 6.2 0 0 1 6.2 6.2M8 14.2A6.2 6.2 0 0 1 1.8 8", ...STROKE }]],
  // a weight hanging by one thread: reaching this approver hangs on one person
  thread: [["path", { d: "M8 1v7.4", ...STROKE }], ["path", { d: "M5.2 9h5.6l1.2 5.4H4z", ...FILL }]],
  // a clock: not confirmed for too long
  stale: [["circle", { cx: 8, cy: 8, r: 6.2, ...STROKE }], ["path", { d: "M8 4.4V8l2.6 1.6", ...STROKE }]],
  // a door with an arrow leaving it: left the account
  departed: [["path", { d: "M9.5 2.2H3v11.6h6.5", ...STROKE }], ["path", { d: "M7 8h7.4M11.8 5.4 14.4 8l-2.6 2.6", ...STROKE }]],
  // a key: the approver's best play hangs on this person
  key: [["circle", { cx: 5, cy: 8, r: 3, ...STROKE }], ["path", { d: "M8 8h6.5M12 8v2.6M14.2 8v2", ...STROKE }]],
  // a person, for "show more people"
  people: [["circle", { cx: 6, cy: 5, r: 2.5, ...FILL }], ["path", { d: "M1.5 13.5c0-2.6 2-4.3 4.5-4.3s4.5 1.7 4.5 4.3z", ...FILL }], ["circle", { cx: 11.5, cy: 5.5, r: 2, ...FILL, opacity: 0.7 }], ["path", { d: "M11 9.4c2.1 0 3.6 1.5 3.6 3.8h-3", ...FILL, opacity: 0.7 }]],
};

/** An icon by name (decorative: the text beside it says the same). */
export function icon(name: string, className = "icon"): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", `${className} icon-${name}`);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  for (const [tag, attrs] of SHAPES[name] ?? SHAPES.unseated) {
    const part = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs)) part.setAttribute(key, String(value));
    svg.append(part);
  }
  return svg;
}
