package dev.awshitbreaks.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * moto's IAM authentication, for tests of refused credentials: {@link #enable} makes a moto server check every
 * request's access key and IAM policies (moto's {@code /moto-api/reset-auth}), so an unknown key is answered
 * {@code InvalidClientTokenId} and a user without a policy {@code AccessDenied}, as AWS would. Use it on a
 * server of your own ({@link MotoServer#start()}), never on the shared one. Test scope only.
 */
public final class MotoAuth {
    private static final Pattern KEY_ID = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>");
    private static final Pattern SECRET = Pattern.compile("<SecretAccessKey>([^<]+)</SecretAccessKey>");

    /** An IAM user's access key. */
    public record AccessKey(String id, String secret) {
    }

    private MotoAuth() {
    }

    /** From now on moto checks every request's credentials and permissions. */
    public static void enable(URI moto) {
        post(moto.resolve("/moto-api/reset-auth"), "0", null);
    }

    /** Creates an IAM user without any policy, and an access key for it (call before {@link #enable}). */
    public static AccessKey userWithoutPermissions(URI moto, String name) {
        iam(moto, "Action=CreateUser&Version=2010-05-08&UserName=" + name);
        String body = iam(moto, "Action=CreateAccessKey&Version=2010-05-08&UserName=" + name);
        Matcher id = KEY_ID.matcher(body);
        Matcher secret = SECRET.matcher(body);
        if (!id.find() || !secret.find()) {
            throw new IllegalStateException("IAM CreateAccessKey answered without a key: " + body);
        }
        return new AccessKey(id.group(1), secret.group(1));
    }

    private static String iam(URI moto, String form) {
        return post(moto.resolve("/"), form, "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/iam/aws4_request, "
                + "SignedHeaders=host, Signature=0");
    }

    private static String post(URI to, String body, String authorization) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(to).POST(HttpRequest.BodyPublishers.ofString(body));
            if (authorization != null) {
                b.header("Authorization", authorization).header("Content-Type", "application/x-www-form-urlencoded");
            } else {
                b.header("Content-Type", "text/plain"); // moto reads the raw body, which a form type would hide
            }
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(to + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(to + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
