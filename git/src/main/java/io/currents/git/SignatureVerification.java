package io.currents.git;

/** Which trusted OpenPGP keys (16-digit key ids) verified the commit and/or tag of a checkout. */
public record SignatureVerification(String commit, String commitKeyId, String tag, String tagKeyId) {

    public String message() {
        StringBuilder message = new StringBuilder("verified signature of");
        if (commitKeyId != null) {
            message.append("\n\t- commit '").append(commit).append("' with key '").append(commitKeyId).append("'");
        }
        if (tagKeyId != null) {
            message.append("\n\t- tag '").append(tag).append("' with key '").append(tagKeyId).append("'");
        }
        return message.toString();
    }
}
