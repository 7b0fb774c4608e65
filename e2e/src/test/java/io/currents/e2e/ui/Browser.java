package io.currents.e2e.ui;

import io.currents.testkit.ControlPlane;
import io.currents.testkit.TestTools;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A headless Chromium driven by Selenium: Debian's {@code chromium} through its {@code chromium-driver}
 * ({@code /usr/bin/chromedriver}, given to Selenium so that Selenium Manager never downloads a browser or driver),
 * with {@code --no-sandbox} (the tests may run as root, where Chromium's sandbox refuses to start).
 * Screenshots go to {@code target/ui-screenshots/}, or with {@code -Dcurrents.screenshots.write=true} to
 * {@code docs/images/ui/}, where docs/ui.md embeds them (as the golden files' write flag).
 */
final class Browser implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15);

    private final WebDriver driver;

    private Browser(WebDriver driver) {
        this.driver = driver;
    }

    static Browser start() {
        Path chromium = TestTools.require(TestTools.Tool.CHROMIUM);
        Path chromedriver = TestTools.require(TestTools.Tool.CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 900));
        return new Browser(driver);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    /** The element once it is visible (server-sent updates and progressive scripts may add it after the load). */
    WebElement await(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Waits until the page's text contains {@code text}; returns the page's text. */
    String awaitText(String text) {
        new WebDriverWait(driver, WAIT).until(d -> d.findElement(By.tagName("body")).getText().contains(text));
        return text();
    }

    String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Saves a PNG of the viewport as {@code <name>.png}; returns its path. */
    Path screenshot(String name) {
        Path dir = Boolean.getBoolean("currents.screenshots.write")
                ? ControlPlane.projectRoot().resolve("docs/images/ui")
                : Path.of("target", "ui-screenshots").toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
