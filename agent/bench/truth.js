() => {
  // Ground truth for `pagesight bench grounding` (agent/bench/dom_truth.py runs it with page.evaluate).
  // Coordinates are CSS pixels of the top-level viewport.
  const FW_SELECT = '.el-select, .ant-select';
  const FW_TAB = '.el-tabs__item, .ant-tabs-tab, .nav-tabs .nav-link, .tabs li > a';
  const FW_MENUITEM = '.el-menu-item, .el-sub-menu__title, .ant-menu-item, .ant-menu-submenu-title, '
    + '.dropdown-item, .ant-dropdown-menu-item, .el-dropdown-menu__item';
  // Styled non-semantic buttons (div.btn, a.btn, span.xxx-btn): people call them buttons.
  const STYLED = '[class*="btn"], [class*="button"], [class*="Btn"], [class*="Button"]';
  const SEL = ['button', 'input', 'textarea', 'select', 'a[href]', '[role]', FW_SELECT, FW_TAB, FW_MENUITEM, STYLED].join(',');
  const BTN_WORD = /^(btn|button)$|[-_](btn|button)$/i;
  const styledButton = (el) => [...el.classList].some((c) => BTN_WORD.test(c));
  const TEXT_TYPES = new Set(['', 'text', 'email', 'password', 'search', 'tel', 'url', 'number', 'date',
    'datetime-local', 'month', 'week', 'time']);
  const out = {lang: document.documentElement.lang || '', url: location.href,
               viewport: [innerWidth, innerHeight], items: [], skipped: {}};
  const skip = (why) => { out.skipped[why] = (out.skipped[why] || 0) + 1; };
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();

  function shown(el) {
    if (!el || !el.getBoundingClientRect) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    if (el.checkVisibility) return el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && parseFloat(s.opacity) > 0;
  }
  function kindOf(el) {
    const role = (el.getAttribute('role') || '').trim().split(/\s+/)[0].toLowerCase();
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (el.matches(FW_SELECT)) return 'select';
    if (role === 'switch') return null;                   // no kind word a person would use
    if (role === 'tab' || (!role && el.matches(FW_TAB))) return 'tab';
    if (role.startsWith('menuitem') || (!role && el.matches(FW_MENUITEM))) return 'menuitem';
    if (role === 'checkbox' || role === 'radio' || role === 'button' || role === 'link') return role;
    if (role === 'textbox' || role === 'searchbox') return tag === 'textarea' ? 'textarea' : 'input';
    if (role === 'combobox') return tag === 'input' ? 'input' : 'select';
    if (!role && !['input', 'textarea', 'select', 'button'].includes(tag) && styledButton(el)) return 'button';
    if (tag === 'input') {
      if (type === 'checkbox' || type === 'radio') return type;
      if (type === 'submit' || type === 'button' || type === 'reset') return 'button';
      return TEXT_TYPES.has(type) ? 'input' : null;
    }
    if (tag === 'button') return 'button';
    if (tag === 'textarea' || tag === 'select') return tag;
    if (tag === 'a' && el.hasAttribute('href')) return 'link';
    return null;
  }
  // The words a person reads as the name: innerText without what sits inside it but is not its name
  // (a select's options read out by a wrapping label, an avatar's initial, a badge's count).
  const NOT_NAME = 'select, textarea, [class*="avatar"], .badge, .el-badge__content, .ant-badge-count';
  // Text only a screen reader gets (Bootstrap's .sr-only "(current)"): clipped to nothing, 1 px, or see-through.
  function unseen(c) {
    const s = getComputedStyle(c);
    if (s.clip === 'rect(0px, 0px, 0px, 0px)' || /inset\(50%\)/.test(s.clipPath)) return true;
    if (parseFloat(s.opacity) === 0 || s.visibility === 'hidden') return true;
    const r = c.getBoundingClientRect();
    return (r.width <= 1 || r.height <= 1) && s.overflow !== 'visible';
  }
  // The visible texts of an element, grouped by the block each sits in. Text pushed out of its box
  // (text-indent: -9999px, a dot nav's "Item 1") is not seen; a badge or screen-reader text is no name.
  function textBlocks(el) {
    const box = el.getBoundingClientRect();
    const walk = el.ownerDocument.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const blocks = [];
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.textContent.trim() || (n.parentElement && n.parentElement.closest(NOT_NAME))) continue;
      const range = el.ownerDocument.createRange();
      range.selectNodeContents(n);
      const seen = [...range.getClientRects()].some((r) => Math.min(r.right, box.right) - Math.max(r.left, box.left) >= 2
        && Math.min(r.bottom, box.bottom) - Math.max(r.top, box.top) >= 2);
      if (!seen) continue;
      let b = n.parentElement;
      while (b !== el && b.parentElement && ['inline', 'contents'].includes(getComputedStyle(b).display)) b = b.parentElement;
      if (!unseen(b) && !blocks.includes(b)) blocks.push(b);
    }
    return blocks;
  }
  const seenText = (el) => textBlocks(el).length > 0;
  // The box of the first line of words a person reads as the name, within the element (a nav item's
  // title, not its subtitle below). Ordinals are counted by these lines, as the vision reads them.
  function nameRect(el) {
    const blocks = textBlocks(el);
    if (!blocks.length) return null;
    const box = el.getBoundingClientRect();
    const walk = el.ownerDocument.createTreeWalker(blocks[0], NodeFilter.SHOW_TEXT);
    const rects = [];
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.textContent.trim() || (n.parentElement && n.parentElement.closest(NOT_NAME))) continue;
      const range = el.ownerDocument.createRange();
      range.selectNodeContents(n);
      for (const q of range.getClientRects()) {
        const x1 = Math.max(q.left, box.left), y1 = Math.max(q.top, box.top);
        const x2 = Math.min(q.right, box.right), y2 = Math.min(q.bottom, box.bottom);
        if (x2 - x1 >= 1 && y2 - y1 >= 1) rects.push([x1, q.top, x2, q.bottom]);
      }
    }
    if (!rects.length) return null;
    const top = rects.reduce((a, r) => (r[1] < a[1] ? r : a));
    const line = rects.filter((r) => (r[1] + r[3]) / 2 <= top[3] && (r[1] + r[3]) / 2 >= top[1]);
    return [Math.min(...line.map((r) => r[0])), Math.min(...line.map((r) => r[1])),
            Math.max(...line.map((r) => r[2])), Math.max(...line.map((r) => r[3]))];
  }
  function labelText(el) {
    if (!seenText(el)) return '';
    let t = el.innerText || '';
    for (const c of el.querySelectorAll(NOT_NAME)) t = t.replace(c.innerText || '', ' ');
    for (const c of el.querySelectorAll('*')) if (c.innerText && unseen(c)) t = t.replace(c.innerText, ' ');
    return norm(t);
  }
  function byIds(doc, el, attr) {
    const ids = (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean);
    return norm(ids.map((id) => doc.getElementById(id)).filter(shown).map(labelText).join(' '));
  }
  function fromLabels(el) {
    for (const l of el.labels || []) { if (shown(l) && labelText(l)) return [labelText(l), l]; }
    return ['', null];
  }
  // Frameworks (Bulma, Element Plus, Ant Design) often caption a field with a label that has no `for`.
  function formItemLabel(el, fields) {
    let node = el.parentElement;
    for (let i = 0; node && i < 4; i++, node = node.parentElement) {
      let n = 0;
      for (const f of fields) if (node.contains(f)) n++;
      if (n > 1) return '';
      const lab = [...node.querySelectorAll('label, .label, .el-form-item__label, .ant-form-item-label')]
        .find((l) => shown(l) && !l.contains(el) && !l.querySelector('input, select, textarea')
              && (!l.control || l.control === el || el.contains(l.control)) && labelText(l));
      if (lab) return labelText(lab);
    }
    return '';
  }
  function fieldName(el, doc, fields) {
    const inner = el.matches(FW_SELECT) ? (el.querySelector('input') || el) : el;
    let t = byIds(doc, inner, 'aria-labelledby');
    if (t) return [t, 'aria-labelledby'];
    t = fromLabels(inner)[0];
    if (t) return [t, 'label'];
    t = formItemLabel(el, fields);
    if (t) return [t, 'form label'];
    if (el.matches(FW_SELECT)) {
      const ph = [...el.querySelectorAll('[class*="placeholder"]')].find((p) => shown(p) && norm(p.innerText));
      return ph ? [norm(ph.innerText), 'placeholder'] : ['', 'none'];
    }
    if (el.tagName !== 'SELECT' && !el.value && el.placeholder) return [norm(el.placeholder), 'placeholder'];
    return ['', el.getAttribute('aria-label') ? 'aria-label only' : 'none'];
  }
  function nameOf(el, kind, doc, fields) {
    if (kind === 'input' || kind === 'textarea' || kind === 'select') return fieldName(el, doc, fields);
    if (el.tagName === 'INPUT' && (kind === 'checkbox' || kind === 'radio')) {
      const t = fromLabels(el)[0] || byIds(doc, el, 'aria-labelledby');
      return [t, t ? 'label' : 'none'];
    }
    if (el.tagName === 'INPUT') return [norm(el.value), 'value'];
    // Texts in separate blocks (a list row's title, time and preview; a card, a nav item with a
    // subtitle): a person names it by its first block, its title, not by all the texts run together.
    const blocks = textBlocks(el);
    if (blocks.length > 1) {
      const title = ((blocks[0].innerText || '').split('\n').map(norm).find(Boolean)) || '';
      return [title, title ? 'first block' : 'several texts'];
    }
    const t = labelText(el) || byIds(doc, el, 'aria-labelledby');
    return [t, t ? 'text' : (el.getAttribute('aria-label') ? 'aria-label only' : 'none')];
  }
  function disabledOf(el) {
    if (el.disabled === true || el.getAttribute('aria-disabled') === 'true') return true;
    return /(^|[\s_-])disabled\b/.test(el.getAttribute('class') || '');
  }
  function clipOf(el, view) {
    let [x1, y1, x2, y2] = view;
    for (let p = el.parentElement; p && p !== p.ownerDocument.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.position === 'fixed') break;
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {
        const r = p.getBoundingClientRect();
        x1 = Math.max(x1, r.left); y1 = Math.max(y1, r.top); x2 = Math.min(x2, r.right); y2 = Math.min(y2, r.bottom);
      }
    }
    return [x1, y1, x2, y2];
  }
  // The parts a click may land on: the element's box(es); for a checkbox or radio also its label.
  function partsOf(el, kind) {
    if (el.tagName === 'INPUT' && (kind === 'checkbox' || kind === 'radio')) {
      const label = fromLabels(el)[1];
      const parts = [];
      const r = el.getBoundingClientRect();
      const lr = label && label.getBoundingClientRect();
      const near = lr && r.right > lr.left - 40 && r.left < lr.right + 40 && r.bottom > lr.top - 40 && r.top < lr.bottom + 40;
      if (r.width >= 2 && r.height >= 2 && (shown(el) || near)) parts.push(r);
      if (label) parts.push(lr);
      return [parts, label];
    }
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
      const rects = [...el.getClientRects()].filter((r) => r.width >= 2 && r.height >= 4);
      if (rects.length > 1) return [rects, null];
    }
    return [shown(el) ? [el.getBoundingClientRect()] : [], null];
  }

  function scan(doc, ox, oy, view, reaches, inFrame) {
    const cands = [];
    const byEl = new Map();
    for (const el of doc.querySelectorAll(SEL)) {
      const kind = kindOf(el);
      if (kind) { const c = {el, kind, kids: 0}; cands.push(c); byEl.set(el, c); }
    }
    // Nesting: an element holding two or more rendered candidates is a container (a sub-menu, an
    // editable tab); an element inside a kept candidate is part of it (a select's inner input).
    const outer = (c) => { for (let p = c.el.parentElement; p; p = p.parentElement) if (byEl.has(p)) return byEl.get(p); return null; };
    for (const c of cands) {
      const rendered = c.el.getClientRects().length > 0;
      for (let a = outer(c); a && rendered; a = outer(a)) a.kids++;
    }
    const kept = [];
    for (const c of cands) {
      if (c.kids >= 2) continue;
      let inside = false;
      for (let a = outer(c); a; a = outer(a)) if (a.kids < 2) { inside = true; break; }
      if (!inside) kept.push(c);
    }
    const fields = kept.filter((c) => ['input', 'textarea', 'select'].includes(c.kind)).map((c) => c.el);
    for (const {el, kind} of kept) {
      const [parts, label] = partsOf(el, kind);
      if (!parts.length) { skip('hidden'); continue; }
      const good = [];
      let why = 'outside the viewport';
      const [cx1, cy1, cx2, cy2] = clipOf(el, view);
      for (const r of parts) {
        const x1 = Math.max(r.left, cx1), y1 = Math.max(r.top, cy1), x2 = Math.min(r.right, cx2), y2 = Math.min(r.bottom, cy2);
        if (x2 - x1 < 2 || y2 - y1 < 2) continue;
        if ((x2 - x1) * (y2 - y1) < 0.5 * r.width * r.height) { why = 'cut off by the viewport or a scroll box'; continue; }
        const mx = (x1 + x2) / 2, my = (y1 + y2) / 2;
        const hit = doc.elementFromPoint(mx, my);
        const mine = hit && (el.contains(hit) || (label && label.contains(hit))
          || (hit.contains(el) && getComputedStyle(el).pointerEvents === 'none'));
        if (!mine || !reaches(mx + ox, my + oy)) { why = 'covered by another element'; continue; }
        good.push([x1 + ox, y1 + oy, x2 + ox, y2 + oy].map((v) => Math.round(v * 10) / 10));
      }
      if (!good.length) { skip(why); continue; }
      const [name, source] = nameOf(el, kind, doc, fields);
      // A name is read on screen: a link scrolled half out of view whose words are gone (only its
      // subtitle shows), or whose words are cut at the edge ("Ite" of "Item"), cannot be named by them.
      const NAME_SHOWN = 0.9;
      let text = null;
      if (source === 'text' || source === 'first block') {
        const t = nameRect(el);
        if (t) {
          const vis = Math.max(0, Math.min(t[2], cx2) - Math.max(t[0], cx1)) * Math.max(0, Math.min(t[3], cy2) - Math.max(t[1], cy1));
          if (vis < NAME_SHOWN * (t[2] - t[0]) * (t[3] - t[1])) { skip('name cut off by the viewport or a scroll box'); continue; }
          text = [t[0] + ox, t[1] + oy, t[2] + ox, t[3] + oy].map((v) => Math.round(v * 10) / 10);
        }
      }
      out.items.push({kind, name, source, rects: good, text, disabled: disabledOf(el), tag: el.tagName.toLowerCase(), frame: inFrame});
    }
    for (const f of doc.querySelectorAll('iframe, frame')) {
      let sub = null;
      try { sub = f.contentDocument; } catch (e) { sub = null; }
      if (!sub || !sub.documentElement) { if (shown(f)) skip('inside a cross-origin frame'); continue; }
      if (!shown(f)) continue;
      const r = f.getBoundingClientRect(), s = getComputedStyle(f);
      const fx = r.left + f.clientLeft + parseFloat(s.paddingLeft), fy = r.top + f.clientTop + parseFloat(s.paddingTop);
      const fview = [0, 0, f.clientWidth, f.clientHeight];
      const [vx1, vy1, vx2, vy2] = view;
      const clipped = [Math.max(0, vx1 - fx), Math.max(0, vy1 - fy), Math.min(fview[2], vx2 - fx), Math.min(fview[3], vy2 - fy)];
      const fr = (x, y) => doc.elementFromPoint(x - ox, y - oy) === f && reaches(x, y);
      scan(sub, ox + fx, oy + fy, clipped, fr, true);
    }
  }
  scan(document, 0, 0, [0, 0, innerWidth, innerHeight], () => true, false);
  return out;
}
