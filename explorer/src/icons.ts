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
