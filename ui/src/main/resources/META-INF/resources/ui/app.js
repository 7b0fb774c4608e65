// Progressive enhancement: the pages work without this script. With it, a page that has a [data-live-fragment]
// region listens to the server's change events and fetches that region again (at most once a second) when a Flux
// object changes; the object page reloads its own status when its object changes.
(function () {
  const live = document.querySelector('[data-live-fragment]');
  const self = document.querySelector('[data-object-id]');
  if ((!live && !self) || !window.EventSource) {
    return;
  }
  let pending = null;
  function refresh() {
    pending = null;
    const url = new URL(window.location.href);
    url.searchParams.set('fragment', live ? live.dataset.liveFragment : 'status');
    fetch(url, {credentials: 'same-origin', headers: {'Accept': 'text/html'}})
      .then(r => r.ok ? r.text() : Promise.reject(r.status))
      .then(html => {
        const target = live || document.getElementById('object-status');
        target.innerHTML = html;
        document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
      })
      .catch(() => {});
  }
  const events = new EventSource('/events');
  events.onopen = () => { document.body.dataset.live = 'connected'; };
  events.onmessage = (e) => {
    const change = JSON.parse(e.data);
    if (change.keepAlive || change.connected) {
      return;
    }
    if (self && self.dataset.objectId !== change.id) {
      return;
    }
    if (!pending) {
      pending = setTimeout(refresh, live ? 1000 : 200);
    }
  };
})();
