package io.currents.api.image.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

import java.util.Map;

/** How commits are authored, signed and described. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CommitSpec {

    @Required
    private CommitUser author;

    private SigningKey signingKey;

    private String messageTemplate;

    private Map<String, String> messageTemplateValues;

    public CommitUser getAuthor() {
        return author;
    }

    public void setAuthor(CommitUser author) {
        this.author = author;
    }

    public SigningKey getSigningKey() {
        return signingKey;
    }

    public void setSigningKey(SigningKey signingKey) {
        this.signingKey = signingKey;
    }

    public String getMessageTemplate() {
        return messageTemplate;
    }

    public void setMessageTemplate(String messageTemplate) {
        this.messageTemplate = messageTemplate;
    }

    public Map<String, String> getMessageTemplateValues() {
        return messageTemplateValues;
    }

    public void setMessageTemplateValues(Map<String, String> messageTemplateValues) {
        this.messageTemplateValues = messageTemplateValues;
    }
}
