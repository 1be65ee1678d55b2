// Starts Swagger UI on the local OpenAPI document (no CDN, no inline script).
window.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("swagger");
  window.SwaggerUIBundle({ url: holder.dataset.url, domNode: holder, deepLinking: true });
});
