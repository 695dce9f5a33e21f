// Detsad: small behaviours without inline scripts (Content-Security-Policy allows only our files).
document.addEventListener("click", function (e) {
  const el = e.target.closest("[data-confirm]");
  if (el && !window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); e.stopPropagation(); }
}, true);
document.addEventListener("change", function (e) {
  const el = e.target.closest("[data-autosubmit]");
  if (el && el.form) { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); }
});
