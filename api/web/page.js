// page.js enhances the server-rendered page; everything works without it.
// No build step: plain JavaScript, served as it is at /static/page.js.
'use strict';
(() => {
  // The page's style shows what needs this script (the keyboard hint) only
  // under html.js.
  document.documentElement.classList.add('js');
  const form = document.getElementById('f');
  if (form) {
    // Choosing a round, a sort order, the view or the low-confidence box
    // searches at once, without a press of the Search button.
    for (const el of form.querySelectorAll('select, input[type=checkbox]')) {
      el.addEventListener('change', () => form.requestSubmit());
    }
    // Empty fields stay out of the address, so that it shows just the
    // search; they are disabled only for the submission.
    form.addEventListener('submit', () => {
      const empty = [...form.elements].filter(el => el.name && !el.disabled && el.value === '' && el.type !== 'checkbox');
      for (const el of empty) el.disabled = true;
      setTimeout(() => { for (const el of empty) el.disabled = false; });
    });
  }
  // Keyboard: "/" goes to the search box; j and k move to the next and the
  // previous result; n opens the next page.
  const typing = el => el && (el.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName));
  document.addEventListener('keydown', e => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(document.activeElement)) return;
    const links = [...document.querySelectorAll('#hits .hit h2 a')];
    const at = links.indexOf(document.activeElement);
    let target = null;
    if (e.key === '/' && form) target = form.elements.q;
    else if (e.key === 'j') target = links[Math.min(at + 1, links.length - 1)];
    else if (e.key === 'k') target = links[Math.max(at - 1, 0)];
    else if (e.key === 'n') target = document.getElementById('more');
    if (!target) return;
    e.preventDefault();
    if (e.key === 'n') { target.click(); return; }
    target.focus();
    if (target.scrollIntoView) target.scrollIntoView({block: 'nearest'});
  });
  // The article page scrolls to the deal's first outlined fact.
  const first = document.querySelector('.article-text mark.anchored');
  if (first) first.scrollIntoView({block: 'center'});
})();
