package io.streamlearn.serve.http;

import io.streamlearn.runtime.http.ConnectionLimit;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One HTTP server per event loop, each with its own router (Vert.x routers are not shared between event loops):
 * Vert.x binds the port once and hands each new connection to one of the servers in turn, so HTTP work spreads over
 * the cores, where one server alone keeps all of it on one event loop. Port 0 becomes -1, Vert.x's "one random port
 * shared by every server listening on -1" (a plain 0 gives each server a port of its own).
 */
public final class EventLoopServers {

    private EventLoopServers() {
    }

    /**
     * @param routers    called once per server, on its event loop
     * @param options    every server's options ({@link HttpServerSettings#options()})
     * @param limit      counts the connections of all the servers together
     * @return one of the servers, once all listen; its {@link HttpServer#actualPort()} is the port all answer on
     */
    public static Future<HttpServer> listen(Vertx vertx, String host, int port, int eventLoops,
            Supplier<Router> routers, HttpServerOptions options, ConnectionLimit limit) {
        int shared = port == 0 ? -1 : port;
        AtomicReference<HttpServer> listening = new AtomicReference<>();
        return vertx.deployVerticle(() -> new OneServer(routers, host, shared, options, limit, listening),
                new DeploymentOptions().setInstances(eventLoops)).map(deployment -> listening.get());
    }

    /** A server on the event loop Vert.x gives this verticle instance. */
    private static final class OneServer extends VerticleBase {

        private final Supplier<Router> routers;
        private final String host;
        private final int port;
        private final HttpServerOptions options;
        private final ConnectionLimit limit;
        private final AtomicReference<HttpServer> listening;

        OneServer(Supplier<Router> routers, String host, int port, HttpServerOptions options, ConnectionLimit limit,
                AtomicReference<HttpServer> listening) {
            this.routers = routers;
            this.host = host;
            this.port = port;
            this.options = options;
            this.limit = limit;
            this.listening = listening;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(new HttpServerOptions(options)).connectionHandler(limit::admit)
                    .requestHandler(routers.get()).listen(port, host).map(server -> {
                listening.compareAndSet(null, server);
                return server;
            });
        }
    }
}
