/* Swagger UI for /api/docs, from the files this server serves (no CDN). */
window.addEventListener("load", function () {
  var el = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({ url: el.getAttribute("data-url"), dom_id: "#swagger-ui", deepLinking: true });
});
