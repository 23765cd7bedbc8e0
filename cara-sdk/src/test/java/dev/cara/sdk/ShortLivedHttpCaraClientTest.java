package dev.cara.sdk;

/** Every {@link HttpCaraClientTest} again, over {@code HttpURLConnection} ({@code shortLived()}). */
class ShortLivedHttpCaraClientTest extends HttpCaraClientTest {
    @Override
    HttpCaraClientBuilder builder() {
        return super.builder().shortLived();
    }
}
