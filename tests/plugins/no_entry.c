/* A shared object that is not a tradehost plugin: no th_plugin_entry. */
int not_a_plugin(void);

int
not_a_plugin(void)
{
	return 42;
}
