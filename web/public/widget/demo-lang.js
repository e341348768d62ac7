// Demo only: ?lang=de|es|fr sets the page language, which the widget follows.
(function () {
  var lang = new URLSearchParams(location.search).get("lang");
  if (lang && /^[a-z]{2}$/.test(lang)) document.documentElement.lang = lang;
})();
