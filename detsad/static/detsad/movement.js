// Movement book forms: «отметить всех» ticks every child checkbox of the same name.
document.addEventListener("change", function (e) {
  const all = e.target.closest("[data-check-all]");
  if (!all) { return; }
  const name = all.getAttribute("data-check-all");
  const form = all.form || document;
  form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
    box.checked = all.checked;
  });
});
