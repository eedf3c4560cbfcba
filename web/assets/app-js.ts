/**
 * The only script: progressive enhancement, the pages work without it. The admin filter shows
 * its result when a filter is picked (the "Anzeigen" button stays for keyboard and no-JS use).
 */
export const APP_JS = `
document.addEventListener('change', function (event) {
  var input = event.target;
  if (input && input.name === 'filter' && input.form && input.form.classList.contains('filters')) input.form.submit();
});
`;
