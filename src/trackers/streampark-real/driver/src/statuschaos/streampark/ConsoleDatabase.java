package statuschaos.streampark;

import com.baomidou.mybatisplus.annotation.IdType;
import com.baomidou.mybatisplus.core.MybatisConfiguration;
import com.baomidou.mybatisplus.core.MybatisSqlSessionFactoryBuilder;
import com.baomidou.mybatisplus.core.config.GlobalConfig;
import com.baomidou.mybatisplus.core.toolkit.GlobalConfigUtils;
import com.baomidou.mybatisplus.extension.plugins.MybatisPlusInterceptor;
import com.baomidou.mybatisplus.extension.plugins.inner.PaginationInnerInterceptor;
import org.apache.ibatis.builder.xml.XMLMapperBuilder;
import org.apache.ibatis.datasource.pooled.PooledDataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.SqlSessionManager;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.apache.ibatis.type.JdbcType;

import java.io.IOException;
import java.io.InputStream;

/**
 * StreamPark's own persistence, without Spring: its H2 schema and its MyBatis-Plus mappers (the
 * generated CRUD statements and the XML ones, e.g. ApplicationMapper.persistMetrics) on an
 * in-memory H2 database, configured as StreamPark's MybatisConfig configures them. Every rule
 * that lives in SQL or in the entities (the tracking flag is set by Application.setState) runs
 * as StreamPark wrote it.
 */
final class ConsoleDatabase {
  /**
   * The console's own H2 URL (2.1.3: application-h2.yml, spring.datasource.url; 2.1.4:
   * SpringProperties.java L95): an in-memory database whose schema is the console jar's
   * db/schema-h2.sql. Spring would also load db/data-h2.sql (users, menus, settings), which
   * nothing on the tracking path reads.
   */
  static final String H2_URL = "jdbc:h2:mem:streampark;MODE=MySQL;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=true;INIT=runscript from 'classpath:db/schema-h2.sql'";

  /** The XML mappers of the tables the tracking path touches (t_flink_app, t_flink_env, t_flink_cluster). */
  private static final String[] MAPPER_XML = {
    "mapper/core/ApplicationMapper.xml", "mapper/core/FlinkEnvMapper.xml", "mapper/core/FlinkClusterMapper.xml",
  };

  private final SqlSessionManager sessions;

  ConsoleDatabase() throws IOException {
    PooledDataSource dataSource = new PooledDataSource("org.h2.Driver", H2_URL, "sa", "sa");
    MybatisConfiguration configuration = new MybatisConfiguration();
    // MybatisConfig.mybatisPlusPropertiesCustomizer: jdbcTypeForNull NULL, IdType.AUTO, no banner
    configuration.setJdbcTypeForNull(JdbcType.NULL);
    GlobalConfig globalConfig = GlobalConfigUtils.getGlobalConfig(configuration);
    globalConfig.getDbConfig().setIdType(IdType.AUTO);
    globalConfig.setBanner(false);
    // MybatisConfig.databaseIdProvider: "H2 is also used as the processing strategy for MySQL"
    configuration.setDatabaseId("mysql");
    // MybatisConfig.mybatisPlusInterceptor
    MybatisPlusInterceptor interceptor = new MybatisPlusInterceptor();
    interceptor.addInnerInterceptor(new PaginationInnerInterceptor());
    configuration.addInterceptor(interceptor);
    configuration.setEnvironment(new Environment("statuschaos-driver", new JdbcTransactionFactory(), dataSource));
    for (String resource : MAPPER_XML) {
      try (InputStream in = ConsoleDatabase.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) throw new IOException(resource + " is not on the classpath: is StreamPark's console-service jar there?");
        // binds the mapper interface named by the XML's namespace, with MyBatis-Plus' CRUD statements
        new XMLMapperBuilder(in, configuration, resource, configuration.getSqlFragments()).parse();
      }
    }
    // SqlSessionManager: one session per mapper call, committed after it (what Spring's
    // SqlSessionTemplate does outside a transaction), safe from every thread
    sessions = SqlSessionManager.newInstance(new MybatisSqlSessionFactoryBuilder().build(configuration));
  }

  <M> M mapper(Class<M> type) {
    return sessions.getMapper(type);
  }
}
