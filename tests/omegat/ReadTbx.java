import java.io.File;
import java.util.HashMap;
import org.omegat.core.Core;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTBX;
import org.omegat.util.ProjectFileStorage;

/** Reads a TBX file with OmegaT 3.6's own glossary reader (the one its glossary pane uses), for a project
 *  whose languages it takes: `java -cp OmegaT.jar ReadTbx.java PROJECT FILE.tbx` prints source TAB target. */
public class ReadTbx {
    public static void main(String[] args) throws Exception {
        Core.initializeConsole(new HashMap<>());
        Core.setProject(new org.omegat.core.data.RealProject(ProjectFileStorage.loadProjectProperties(new File(args[0]))));
        for (GlossaryEntry entry : GlossaryReaderTBX.read(new File(args[1]), false)) {
            System.out.println(entry.getSrcText() + "\t" + entry.getLocText());
        }
    }
}
