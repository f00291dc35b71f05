// Checks results/report.html in the browser, for tests/e2e/test_report_browser.py: appended to a copy of
// the page, run by headless Chromium with --dump-dom. Records, as JSON in a pre element (id
// "report-glyphs"): the embedded CJK font face's load status; for every CJK character of the page whether
// the canvas draws it differently in that face than in each system fallback (a glyph the subset lacked
// would be drawn by a fallback, identically); every image's decoded size; the contents' links that lead
// nowhere.
(async function () {
  const record = { images: [], missing_glyphs: [], broken_links: [] };
  try {
    const face = [...document.fonts].find((f) => f.family.replace(/["']/g, "") === "Report CJK");
    if (face) await face.load().catch(() => {});
    record.font_status = face ? face.status : "absent";
    const text = document.body.innerText;
    const cjk = [...new Set([...text].filter((ch) => ch.codePointAt(0) >= 0x2e80))].sort();
    record.cjk_characters = cjk.join("");
    const canvas = document.createElement("canvas");
    canvas.width = 40; canvas.height = 40;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const draw = (ch, family) => {
      context.clearRect(0, 0, 40, 40);
      context.font = `28px ${family}`;
      context.fillText(ch, 4, 32);
      return context.getImageData(0, 0, 40, 40).data.join(",");
    };
    // a serif CJK face differs from the embedded sans one glyph by glyph; a tofu box or no ink means no glyph
    const fallbacks = ['"Noto Serif CJK SC"', "serif"];
    for (const ch of cjk) {
      const mine = draw(ch, '"Report CJK"');
      const inked = mine.split(",").some((v, i) => i % 4 === 3 && Number(v) > 0);
      if (!inked || fallbacks.some((f) => draw(ch, f) === mine)) record.missing_glyphs.push(ch);
    }
    for (const img of document.images) {
      for (let i = 0; i < 200 && !(img.complete && img.naturalWidth > 0); i++) await new Promise((r) => setTimeout(r, 10));
      record.images.push({ alt: img.alt.slice(0, 60), width: img.naturalWidth, height: img.naturalHeight,
                           data_uri: img.src.startsWith("data:") });
    }
    for (const a of document.querySelectorAll('a[href^="#"]')) {
      if (!document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)))) record.broken_links.push(a.getAttribute("href"));
    }
  } catch (error) {
    record.error = String(error);
  }
  const pre = document.createElement("pre");
  pre.id = "report-glyphs";
  pre.style.display = "none";
  pre.textContent = JSON.stringify(record);
  document.body.appendChild(pre);
})();
