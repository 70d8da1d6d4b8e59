"""The app servers' worker class (bin/cluster: --worker-class deploy.gunicorn_worker.DrainingThreadWorker).

gunicorn 27's gthread worker, on SIGTERM, stops accepting but keeps its listening socket open until its
requests in flight are done: a new connection meanwhile waits in the socket's backlog and is reset when the
worker exits. Through nginx a GET sent there is then retried on the other server after that wait, and a POST
gets a 502 (nginx never resends a request that has reached a server). This worker closes its listening
socket as soon as SIGTERM arrives (in its event loop, where gthread itself changes its sockets); once every
worker has (the master closed its own first), new connections are refused and nginx sends them to the other
server at once. A reload (SIGHUP) is unaffected: the master keeps its socket open for the new workers.
"""

from gunicorn.workers.gthread import ThreadWorker


class DrainingThreadWorker(ThreadWorker):
    def handle_exit(self, sig, frame):
        if self.alive and hasattr(self, "method_queue"):  # gunicorn < 24 closes its sockets at once by itself
            self.method_queue.defer(self.stop_listening)
        super().handle_exit(sig, frame)

    def stop_listening(self):
        self.set_accept_enabled(False)
        for listener in self.sockets:
            listener.close()
