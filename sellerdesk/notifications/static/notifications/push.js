/* The "Allow push in this browser" button of the notification settings page (Web Push, VAPID). */
(function () {
  const button = document.getElementById("push-enable");
  if (!button) return;
  const status = document.getElementById("push-status");
  const say = (key) => { status.textContent = button.dataset[key] || ""; };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    button.disabled = true;
    say("msgUnsupported");
    return;
  }
  const keyBytes = (b64) => {
    const raw = atob((b64 + "=".repeat((4 - (b64.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  };
  button.addEventListener("click", async () => {
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") { say("msgDenied"); return; }
      const registration = await navigator.serviceWorker.register(button.dataset.worker);
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(button.dataset.key),
      });
      const response = await fetch(button.dataset.subscribe, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": button.dataset.csrf },
        body: JSON.stringify(subscription.toJSON()),
        credentials: "same-origin",
      });
      say(response.ok ? "msgOn" : "msgUnsupported");
    } catch (e) {
      say("msgUnsupported");
    }
  });
})();
