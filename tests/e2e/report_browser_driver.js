// Drives a Snakemake report (snakemake --report x.html) the way a reader does, by clicking its menus,
// for tests/e2e/test_report_browser.py. Appended to a copy of the report, run by headless Chromium.
//
// Without a location hash: visits every category and subcategory under "Results", and for every result
// clicks its view button (figures are then shown in the content pane: their <img> is recorded with its
// decoded size) and its info button (the caption shown is recorded). The record is written as JSON into
// a hidden pre element, id "report-tour", for --dump-dom.
// With "#show=<result path>": opens that result's subcategory, clicks its view button and stops there,
// for --screenshot.
(async function () {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 10));
  const navbar = () => document.querySelector("#app nav");
  const text = (element) => (element ? element.textContent.trim() : "");
  const linkNamed = (name) => [...navbar().querySelectorAll("a")].find((a) => text(a) === name);
  const menuItems = () => [...navbar().querySelectorAll("div.p-3 ul li")];
  const rows = () => [...navbar().querySelectorAll("table tbody tr")];
  const rowPath = (row) => text(row.querySelector("td"));
  const shownImages = () => [...document.querySelectorAll("#app img")].filter((img) => !img.closest("nav"));

  async function click(element, what) {
    if (!element) throw new Error(`nothing to click for ${what}`);
    element.click();
    await pause();
  }

  async function home() {
    // The first breadcrumb is the home link (an icon); it brings back the main menu.
    await click(navbar().querySelector(":scope nav a"), "home");
  }

  async function openSubcategory(category, subcategory) {
    await home();
    await click(linkNamed(category), `category ${category}`);
    if (subcategory !== null) await click(linkNamed(subcategory), `subcategory ${subcategory}`);
  }

  async function viewResult(category, subcategory, path) {
    await openSubcategory(category, subcategory);
    const row = rows().find((r) => rowPath(r) === path);
    if (!row) throw new Error(`${path} not listed under ${category} / ${subcategory}`);
    const [view, info] = row.querySelectorAll("td:last-child a");
    const entry = { category, subcategory, view: view.getAttribute("href") === "#" ? "shown" : "download" };
    if (entry.view === "download") {
      entry.download = view.getAttribute("download");
      entry.href_start = (view.getAttribute("href") || "").slice(0, 30);
    } else {
      await click(view, `view ${path}`);
      const img = shownImages()[0];
      if (img) {
        // Polled, not img.decode(): under --virtual-time-budget a decode promise may never settle.
        for (let i = 0; i < 200 && !(img.complete && img.naturalWidth > 0); i++) await pause();
        entry.img = { src: img.getAttribute("src"), width: img.naturalWidth, height: img.naturalHeight };
      }
    }
    return [entry, info];
  }

  async function tour() {
    const items = menuItems();
    const start = items.findIndex((li) => text(li) === "Results");
    const categories = items.slice(start + 1).map(text);
    const record = { categories: {}, results: {} };
    for (const category of categories) {
      await openSubcategory(category, null);
      // A category with one subcategory opens its results table directly.
      const subcategories = rows().length ? [null] : menuItems().map(text);
      record.categories[category] = subcategories;
      for (const subcategory of subcategories) {
        await openSubcategory(category, subcategory);
        for (const path of rows().map(rowPath)) {
          const [entry, info] = await viewResult(category, subcategory, path);
          await click(info, `info ${path}`);
          const caption = navbar().querySelector(".prose");
          entry.caption = caption ? caption.innerText.trim() : "";
          // docutils marks what it could not parse (e.g. |name| read as a substitution) with these classes
          entry.caption_errors = caption ? caption.querySelectorAll(".system-message, .problematic").length : 0;
          record.results[path] = entry;
        }
      }
    }
    return record;
  }

  async function show(path) {
    // Where the result sits, from the report's own data; the clicks are the reader's.
    for (const [category, subcategories] of Object.entries(categories)) {
      for (const [subcategory, paths] of Object.entries(subcategories)) {
        if (!paths.includes(path)) continue;
        await openSubcategory(category, null);
        const [entry] = await viewResult(category, rows().length ? null : subcategory, path);
        return entry;
      }
    }
    throw new Error(`${path} is not a result of this report`);
  }

  let record;
  try {
    for (let i = 0; i < 500 && !(navbar() && linkNamed("Workflow")); i++) await pause();
    const wanted = decodeURIComponent(location.hash.replace(/^#show=/, ""));
    record = location.hash.startsWith("#show=") ? await show(wanted) : await tour();
  } catch (error) {
    record = { error: String(error) };
  }
  const out = document.createElement("pre");
  out.id = "report-tour";
  out.style.display = "none";
  out.textContent = JSON.stringify(record);
  document.body.appendChild(out);
})();
